// Where things are in a JSON text, for findings that point at a line and
// column: where the text stops being JSON, and where each value is, by its
// JSON Pointer ("/properties/3/labels/0"). JSON.parse stays the judge of
// values; this reader knows offsets and nothing else. One pass, linear in the
// text, and bounded in depth: it never recurses further than MAX_JSON_DEPTH.

import { MAX_JSON_DEPTH } from './json.js'

/**
 * Where each value is: for an object member, the offset of its key; for an array element, of
 * the element; for the root, 0. A repeated key keeps its last place, as JSON.parse keeps it.
 */
export type Positions = Map<string, number>

/** A key written again in the same object, and where the repeat is. */
export interface RepeatedKey {
  key: string
  offset: number
}

/** At most this many repeated keys are kept: one is enough to warn of. */
const MAX_REPEATED = 100

export type JsonPositions =
  | { kind: 'json'; positions: Positions; repeated: RepeatedKey[] }
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

/** A file's JSON for a check: its value, where each value is, and the lines to say it in. */
export type ParsedJson =
  | {
      kind: 'json'
      value: unknown
      positions: Positions
      repeated: RepeatedKey[]
      lines: LineIndex
    }
  /**
   * Where the text stops being JSON, with JSON.parse's reason (V8's echo of the text cut off),
   * or where valid JSON nests deeper than MAX_JSON_DEPTH ('tooDeep', no reason).
   */
  | { kind: 'invalid' | 'tooDeep'; line: number; column: number; reason: string }
  /** Not UTF-8 text: UTF-16 read as UTF-8 (Windows PowerShell 5 writes it with `>`). */
  | { kind: 'utf16'; line: 1; column: 1; reason: '' }

/** Parses a file a check reads: JSON.parse is the judge of values, the reader of places. */
export function parseJsonText(text: string): ParsedJson {
  // Read as UTF-8, UTF-16 has NULs (ASCII's high bytes) or starts with two U+FFFD (its BOM).
  if (text.includes('\u0000') || text.startsWith('\uFFFD\uFFFD')) {
    return { kind: 'utf16', line: 1, column: 1, reason: '' }
  }
  const lines = new LineIndex(text)
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught)
    const read = readJsonPositions(text)
    const offset = read.kind === 'stop' ? read.offset : text.length
    // Keep only the reason: V8 says where in its own words (' in JSON at position 5', ' after
    // JSON at position 5', Node 22 adds ' (line 1 column 6)'), and echoes the text, or a part of
    // it, in others (', "{"a" 1}" is not valid JSON', ', ..."a" 1}"... is not valid JSON').
    const reason = message.replace(/(?: in JSON)? at position .*|, (?:\.\.\.)?".*/s, '')
    return { kind: 'invalid', ...lines.at(offset), reason }
  }
  const read = readJsonPositions(text)
  // Valid JSON the reader stopped on is nested too deeply.
  if (read.kind === 'stop') return { kind: 'tooDeep', ...lines.at(read.offset), reason: '' }
  return { kind: 'json', value, positions: read.positions, repeated: read.repeated, lines }
}

/** The place of every value, by JSON Pointer, or where the text stops being JSON. */
export function readJsonPositions(text: string): JsonPositions {
  const reader = new Reader(text)
  try {
    reader.value('', 0)
    reader.skip(SPACE)
    if (reader.at < text.length) return { kind: 'stop', offset: reader.at, tooDeep: false }
    return { kind: 'json', positions: reader.positions, repeated: reader.repeated }
  } catch (caught) {
    if (!(caught instanceof JsonStop)) throw caught
    return { kind: 'stop', offset: caught.offset, tooDeep: caught.tooDeep }
  }
}

/** A JSON Pointer: the path's tokens, each with `~` and `/` escaped (RFC 6901). */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map(token => `/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

class Reader {
  readonly positions: Positions = new Map([['', 0]])
  readonly repeated: RepeatedKey[] = []
  at = 0

  constructor(private readonly text: string) {}

  /** The value at `path`, which is `depth` levels in. */
  value(path: string, depth: number): void {
    if (depth > MAX_JSON_DEPTH) throw new JsonStop(this.at, true)
    this.skip(SPACE)
    const char = this.text[this.at]
    if (char === '{') this.object(path, depth)
    else if (char === '[') this.array(path, depth)
    else if (!this.skip(STRING) && !this.skip(NUMBER) && !this.skip(LITERAL))
      throw new JsonStop(this.at)
  }

  private object(path: string, depth: number): void {
    this.at++
    if (this.next('}')) return
    const keys = new Set<string>()
    do {
      this.skip(SPACE)
      const start = this.at
      if (!this.skip(STRING)) throw new JsonStop(this.at)
      const key = JSON.parse(this.text.slice(start, this.at)) as string
      if (keys.has(key) && this.repeated.length < MAX_REPEATED) {
        this.repeated.push({ key, offset: start })
      }
      keys.add(key)
      const member = path + pointer(key)
      this.positions.set(member, start)
      this.expect(':')
      this.value(member, depth + 1)
    } while (this.next(','))
    this.expect('}')
  }

  private array(path: string, depth: number): void {
    this.at++
    if (this.next(']')) return
    let index = 0
    do {
      this.skip(SPACE)
      const element = `${path}/${index++}`
      this.positions.set(element, this.at)
      this.value(element, depth + 1)
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
