// One owner per fact: action.yml owns the inputs and outputs, src/cli/flags.ts
// the flags. The README's Inputs and Outputs tables and the command-line
// reference in docs/command-line.md must say what they say: the same names in the same order, the same
// defaults, and no number or value the owner does not state.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FLAGS, INPUT_FLAGS } from '../../src/cli/flags.js'

const ROOT = join(import.meta.dirname, '..', '..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const COMMAND_LINE = readFileSync(join(ROOT, 'docs', 'command-line.md'), 'utf8')
const ACTION = readFileSync(join(ROOT, 'action.yml'), 'utf8')

interface Declared {
  name: string
  description: string
  default?: string
}

/** One section of action.yml (inputs or outputs): each entry's description and default. */
function declared(section: 'inputs' | 'outputs'): Declared[] {
  const end = section === 'inputs' ? '\noutputs:' : '\nruns:'
  const text = ACTION.slice(ACTION.indexOf(`\n${section}:`), ACTION.indexOf(end))
  const entries: Declared[] = []
  let folding = false
  for (const line of text.split('\n')) {
    const name = /^ {2}([a-z-]+):\s*$/.exec(line)
    const field = /^ {4}(description|default|required):\s*(.*)$/.exec(line)
    if (name) {
      entries.push({ name: name[1], description: '' })
      folding = false
    } else if (field) {
      const entry = entries[entries.length - 1]
      const value = field[2].trim()
      folding = field[1] === 'description' && value === '>-'
      if (field[1] === 'description' && !folding) entry.description = value
      if (field[1] === 'default') entry.default = value.replace(/^'(.*)'$/, '$1')
    } else if (folding && /^ {6}\S/.test(line)) {
      const entry = entries[entries.length - 1]
      entry.description = `${entry.description} ${line.trim()}`.trim()
    }
  }
  return entries
}

/** The rows of the first table after a heading, as arrays of cells (the header row left out). */
function tableAfter(heading: string, text = README): string[][] {
  const start = text.indexOf(`\n${heading}\n`)
  expect(start).toBeGreaterThan(0)
  const lines = text.slice(start).split('\n')
  const first = lines.findIndex(line => line.startsWith('|'))
  const rows: string[][] = []
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map(cell => cell.trim().replace(/\\\|/g, '|'))
    )
  }
  return rows
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1')
/** Whether a description states a fact: a number as a whole number ("1" is not in "10%"). */
function states(description: string, fact: string): boolean {
  if (!/^\d/.test(fact)) return description.includes(fact)
  const escaped = fact.replace(/\./g, '\\.')
  return new RegExp(`(^|[^\\d.])${escaped}(?!\\d|\\.\\d)`).test(description)
}
/** The numbers a text states ("at most 128", "v1.0", "2147483"), without duplicates. */
const numbers = (text: string) => [...new Set(text.match(/\d+(?:\.\d+)?/g) ?? [])]
/** The values a README cell writes as code (`completed`, `InvalidSchemaFile`), without duplicates. */
const codeWords = (text: string) =>
  [...new Set([...text.matchAll(/`([^`]+)`/g)].map(match => match[1]))].filter(word =>
    /^[\w.-]+$/.test(word)
  )

describe("the README's Inputs table", () => {
  const inputs = declared('inputs')
  const rows = tableAfter('## Inputs')
  const rowOf = (name: string) => rows.find(row => unquote(row[0]) === name)

  it('has the inputs of action.yml, in its order', () => {
    expect(inputs.length).toBeGreaterThan(15)
    expect(rows.map(row => unquote(row[0]))).toEqual(inputs.map(input => input.name))
  })

  it('gives the default action.yml declares, or none ("by cloud") when it declares none', () => {
    for (const input of inputs) {
      const cell = rowOf(input.name)?.[2] ?? ''
      expect([input.name, cell === '' || cell === 'by cloud' ? undefined : unquote(cell)]).toEqual([
        input.name,
        input.default
      ])
    }
  })

  it('marks as required exactly the inputs whose description says when they are', () => {
    for (const input of inputs) {
      const required = (rowOf(input.name)?.[1] ?? '').startsWith('yes')
      expect([input.name, required]).toEqual([
        input.name,
        /Required unless/.test(input.description)
      ])
    }
  })

  it('states no number and no value that action.yml does not', () => {
    for (const input of inputs) {
      const meaning = rowOf(input.name)?.[3] ?? ''
      const missing = [...numbers(meaning), ...codeWords(meaning)].filter(
        fact => !states(input.description, fact) && fact !== input.name
      )
      expect([input.name, missing]).toEqual([input.name, []])
    }
  })

  it.each([
    ['poll-interval-seconds', 'at least 1'],
    ['poll-interval-seconds', 'decimals allowed'],
    ['connection-name', 'at most 128 characters'],
    ['timeout-seconds', 'at most 2147483']
  ])('says of %s, as action.yml does: %s', (name, fact) => {
    expect(rowOf(name)?.[3]).toContain(fact)
    expect(inputs.find(input => input.name === name)?.description).toContain(fact)
  })
})

describe("the README's Outputs table", () => {
  const outputs = declared('outputs')
  const rows = tableAfter('## Outputs')

  it('has the outputs of action.yml, in its order', () => {
    expect(rows.map(row => unquote(row[0]))).toEqual(outputs.map(output => output.name))
  })

  it('states no number and no value that action.yml does not', () => {
    for (const output of outputs) {
      const value = rows.find(row => unquote(row[0]) === output.name)?.[1] ?? ''
      const missing = [...numbers(value), ...codeWords(value)].filter(
        fact => !states(output.description, fact) && fact !== output.name
      )
      expect([output.name, missing]).toEqual([output.name, []])
    }
  })

  it('says error-message holds the schema file errors, as action.yml does', () => {
    const description = outputs.find(output => output.name === 'error-message')?.description
    expect(description).toContain("the schema file's errors")
    expect(rows.find(row => row[0] === '`error-message`')?.[1]).toContain(
      'each schema error on a line'
    )
  })
})

describe('the command-line reference in docs/command-line.md', () => {
  const rows = tableAfter('## Command-line reference', COMMAND_LINE)
  const defaults = Object.fromEntries(declared('inputs').map(input => [input.name, input.default]))

  it('has every flag of src/cli/flags.ts, in its order, with what its value looks like', () => {
    const documented = rows.flatMap(row =>
      row[0].split(/`,\s*`/).map(part => unquote(part.replace(/^`|`$/g, '')))
    )
    const expected = FLAGS.map(spec =>
      spec.kind === 'text'
        ? `--${spec.name} ${spec.value}`
        : spec.kind === 'boolean'
          ? `--${spec.name} [true|false]`
          : `--${spec.name}`
    )
    expect(documented.filter(flag => flag !== '-h')).toEqual(expected)
    expect(documented).toContain('-h')
  })

  it("names, for each input's flag, that input", () => {
    for (const spec of INPUT_FLAGS) {
      const row = rows.find(cells => cells[0].startsWith(`\`--${spec.name} `))
      expect([spec.name, row?.[1].startsWith(`\`${spec.name}\``)]).toEqual([spec.name, true])
    }
  })

  it("gives as a flag's default, here and in --help, the default of action.yml", () => {
    const stated = [
      ...rows.map(row => [unquote(row[0]).split(' ')[0].slice(2), row[1]]),
      ...FLAGS.map(spec => [spec.name, spec.help])
    ]
    let checked = 0
    for (const [name, text] of stated) {
      const match = /\(default `?([^`)]+)`?\)/.exec(text)
      if (!match) continue
      checked++
      expect([name, match[1]]).toEqual([name, defaults[name]])
    }
    expect(checked).toBeGreaterThanOrEqual(8)
  })
})
