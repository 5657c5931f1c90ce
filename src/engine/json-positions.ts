// Where things are in a JSON text, for findings that point at a line and
// column: where the text stops being JSON, where each item of the top-level
// "properties" array starts, and where each of its keys and list elements is.
// JSON.parse stays the judge of values; this reader knows offsets and nothing
// else. One pass, linear in the text, and bounded in depth: it never recurses
// further than MAX_JSON_DEPTH.

/** Deeper than this, a schema is not a schema: refused, and never followed by recursion. */
export const MAX_JSON_DEPTH = 64

/** Where one item of "properties" is, and where its keys and their list elements are. */
export interface ItemPositions {
  /** Offset of the item's first character. */
  start: number
  /** Offset of each key of the item (the last, when a key repeats, as JSON.parse keeps it). */
  keys: Map<string, number>
  /** Offsets of the elements of each array-valued key, such as labels and aliases. */
  elements: Map<string, number[]>
}

export type JsonPositions =
  | { kind: 'json'; items: ItemPositions[] }
  /** The text stops being JSON at this offset, or nests deeper than MAX_JSON_DEPTH there. */
  | { kind: 'stop'; offset: number; tooDeep: boolean }

const SPACE = /[ \t\n\r]*/y
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y // eslint-disable-line no-control-regex
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const LITERAL = /true|false|null/y

/** Where the text stops being JSON (or gets too deep); readJsonPositions catches it. */
class JsonStop extends Error {
  constructor(
    readonly offset: number,
    readonly tooDeep = false
  ) {
    super()
  }
}

/** Where each top-level "properties" item and its keys are, or where the text stops being JSON. */
export function readJsonPositions(text: string): JsonPositions {
  const reader = new Reader(text)
  try {
    reader.value('root', 0)
    reader.skip(SPACE)
    if (reader.at < text.length) return { kind: 'stop', offset: reader.at, tooDeep: false }
    return { kind: 'json', items: reader.items }
  } catch (caught) {
    if (!(caught instanceof JsonStop)) throw caught
    return { kind: 'stop', offset: caught.offset, tooDeep: caught.tooDeep }
  }
}

/** What a value is to the reader: the root, the "properties" array, an item of it, or other. */
type Role = 'root' | 'items' | 'item' | 'other'

class Reader {
  items: ItemPositions[] = []
  at = 0

  constructor(private readonly text: string) {}

  /** `item` is the item being read (role 'item'), or the item whose key this value is. */
  value(role: Role, depth: number, item?: ItemPositions, key?: string): void {
    if (depth > MAX_JSON_DEPTH) throw new JsonStop(this.at, true)
    this.skip(SPACE)
    const char = this.text[this.at]
    if (char === '{') this.object(role, depth, item)
    else if (char === '[') this.array(role, depth, item, key)
    else if (!this.skip(STRING) && !this.skip(NUMBER) && !this.skip(LITERAL))
      throw new JsonStop(this.at)
  }

  private object(role: Role, depth: number, item?: ItemPositions): void {
    if (role !== 'item') item = undefined
    this.at++
    if (this.next('}')) return
    do {
      this.skip(SPACE)
      const start = this.at
      if (!this.skip(STRING)) throw new JsonStop(this.at)
      const key = JSON.parse(this.text.slice(start, this.at)) as string
      this.expect(':')
      if (item) {
        item.keys.set(key, start)
        item.elements.delete(key) // a repeated key wins, as it does in JSON.parse
      }
      const isItems = role === 'root' && key === 'properties'
      if (isItems) this.items = []
      this.value(isItems ? 'items' : 'other', depth + 1, item, key)
    } while (this.next(','))
    this.expect('}')
  }

  private array(role: Role, depth: number, item?: ItemPositions, key?: string): void {
    this.at++
    const elements: number[] = []
    if (item && key !== undefined) item.elements.set(key, elements)
    if (this.next(']')) return
    do {
      this.skip(SPACE)
      elements.push(this.at)
      if (role === 'items') {
        // Every item has a place, an object or not, so that item i is at items[i].
        const next: ItemPositions = { start: this.at, keys: new Map(), elements: new Map() }
        this.items.push(next)
        this.value('item', depth + 1, next)
      } else this.value('other', depth + 1)
    } while (this.next(','))
    this.expect(']')
  }

  skip(pattern: RegExp): boolean {
    pattern.lastIndex = this.at
    if (!pattern.test(this.text)) return false
    this.at = pattern.lastIndex
    return true
  }

  private next(char: string): boolean {
    this.skip(SPACE)
    if (this.text[this.at] !== char) return false
    this.at++
    return true
  }

  private expect(char: string): void {
    if (!this.next(char)) throw new JsonStop(this.at)
  }
}

/** 1-based line and column of offsets in one text: the line starts are found once. */
export class LineIndex {
  private readonly starts: number[] = [0]

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1)
  }

  at(offset: number): { line: number; column: number } {
    let [low, high] = [0, this.starts.length - 1]
    while (low < high) {
      const middle = Math.ceil((low + high) / 2)
      if (this.starts[middle] <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 }
  }
}
