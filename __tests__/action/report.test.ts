// The verdict as the runner shows it, with @actions/core's commands recorded.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Verdict } from '../../src/engine/verdict.js'

const calls: string[] = []
const outputs: Record<string, string> = {}
const actual = await import('@actions/core')
jest.unstable_mockModule('@actions/core', () => ({
  ...actual,
  setOutput: (name: string, value: string) => (outputs[name] = value),
  error: (message: string, props?: { title?: string }) =>
    calls.push(`error${props?.title ? ` [${props.title}]` : ''}: ${message}`),
  warning: (message: string, props?: { title?: string }) =>
    calls.push(`warning${props?.title ? ` [${props.title}]` : ''}: ${message}`),
  info: (message: string) => calls.push(`info: ${message}`),
  debug: (message: string) => calls.push(`debug: ${message}`)
}))
const { failWithError, report, setOutputs } = await import('../../src/action/report.js')
const { GraphError } = await import('../../src/engine/graph.js')

const dir = mkdtempSync(join(tmpdir(), 'summary-'))
const summaryFile = join(dir, 'summary.md')
const summary = () => readFileSync(summaryFile, 'utf8')

beforeEach(() => {
  calls.length = 0
  for (const key of Object.keys(outputs)) delete outputs[key]
  process.exitCode = undefined
  writeFileSync(summaryFile, '')
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  actual.summary.emptyBuffer()
})
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY
  process.exitCode = undefined
  rmSync(dir, { recursive: true, force: true })
})

function verdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    level: 'pass',
    message: 'Operation: completed after 12 s (4 polls).',
    title: "Graph connector 'contosohr'",
    outputs: {
      status: 'completed',
      'error-code': '',
      'error-message': '',
      operation: '{"status":"completed"}',
      connection: '',
      'elapsed-seconds': '12.3',
      'operation-url': '',
      changes: ''
    },
    summary: {
      headline: '✅ Operation: completed',
      rows: [
        { label: 'Connection', value: 'contosohr', code: true },
        { label: 'Polls', value: '4' }
      ]
    },
    ...overrides
  }
}

describe('report', () => {
  it('sets every output, writes the summary and logs the verdict on a pass', async () => {
    await report(verdict())
    expect(outputs).toEqual(verdict().outputs)
    expect(calls).toEqual(['info: Operation: completed after 12 s (4 polls).'])
    expect(process.exitCode).toBeUndefined()
    expect(summary()).toBe(
      '<h3>✅ Operation: completed</h3>\n' +
        '<ul>\n' +
        '<li><b>Connection:</b> <code>contosohr</code></li>\n' +
        '<li><b>Polls:</b> 4</li>\n' +
        '</ul>\n'
    )
  })

  it('fails with one error annotation titled with the connection', async () => {
    await report(verdict({ level: 'fail', message: 'It failed.' }))
    expect(calls).toEqual(["error [Graph connector 'contosohr']: It failed."])
    expect(process.exitCode).toBe(1)
  })

  it('warns, and leaves the step passing, on warn', async () => {
    await report(verdict({ level: 'warn', message: 'It failed. Continuing.' }))
    expect(calls).toEqual(["warning [Graph connector 'contosohr']: It failed. Continuing."])
    expect(process.exitCode).toBeUndefined()
  })

  it('escapes &, < and > in every part of the summary', async () => {
    await report(
      verdict({
        summary: {
          headline: 'A & <b>B</b>',
          rows: [
            { label: 'Error message', value: 'Bad <schema> & more' },
            { label: 'Status', value: '<i>x</i>&amp;', code: true }
          ],
          note: 'See <a href="x">this</a> & that'
        }
      })
    )
    expect(summary()).toContain('<h3>A &amp; &lt;b&gt;B&lt;/b&gt;</h3>')
    expect(summary()).toContain('<li><b>Error message:</b> Bad &lt;schema&gt; &amp; more</li>')
    expect(summary()).toContain(
      '<li><b>Status:</b> <code>&lt;i&gt;x&lt;/i&gt;&amp;amp;</code></li>'
    )
    expect(summary()).toContain('See &lt;a href="x"&gt;this&lt;/a&gt; &amp; that')
    expect(summary()).not.toContain('<b>B')
  })

  it('writes the note after the table', async () => {
    await report(
      verdict({ summary: { headline: 'H', rows: [{ label: 'a', value: 'b' }], note: 'The note.' } })
    )
    expect(summary()).toMatch(/<\/ul>\n<p>The note\.<\/p>\n$/)
  })

  it('writes no summary when the runner offers no file', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await report(verdict())
    expect(summary()).toBe('')
    expect(calls.filter(c => c.startsWith('warning'))).toEqual([])
  })

  it('warns, and still reports, when the summary cannot be written', async () => {
    // A directory where the file should be: core.summary caches the path, so
    // the file itself is replaced.
    rmSync(summaryFile)
    mkdirSync(summaryFile)
    try {
      await report(verdict({ level: 'fail', message: 'It failed.' }))
    } finally {
      rmSync(summaryFile, { recursive: true })
    }
    expect(calls[0]).toMatch(/^warning: Could not write the job summary: Unexpected error: EISDIR/)
    expect(calls[1]).toBe("error [Graph connector 'contosohr']: It failed.")
    expect(outputs.status).toBe('completed')
  })
})

describe('text from Graph in the summary', () => {
  it('stays text: no blank line ends the HTML, so no Markdown renders', async () => {
    const message =
      'Rejected.\n\n# Heading\n\n![image](https://evil.example/x.png) [link](https://evil.example)\r\n<img src=x>'
    await report(
      verdict({
        level: 'fail',
        summary: {
          headline: 'H',
          rows: [{ label: 'Error message', value: message }],
          failure: {
            message,
            details: [{ target: message, code: message, message }],
            ids: [{ label: 'Request ID', value: message }],
            raw: JSON.stringify({ message }, null, 2)
          },
          todo: message,
          note: `Note\n\n## ${message}`,
          tables: [{ caption: message, counts: message, head: [message], rows: [[message]] }],
          details: [{ label: message, value: message }]
        }
      })
    )
    const lines = summary().split('\n').filter(Boolean)
    // Every line starts an HTML block: GitHub renders none of it as Markdown.
    for (const line of lines) expect(line).toMatch(/^<\/?[a-z0-9]+[ >]/)
    expect(summary()).not.toContain('\n\n')
    expect(summary()).not.toMatch(/<img|<a /)
    const escaped =
      'Rejected.<br><br># Heading<br><br>![image](https://evil.example/x.png) ' +
      '[link](https://evil.example)<br>&lt;img src=x&gt;'
    expect(summary()).toContain(`<td>${escaped}</td>`)
    expect(summary()).toContain(`<p><b>Graph said:</b> ${escaped}</p>`)
    expect(summary()).toContain(`<li><b>${escaped}:</b> ${escaped}</li>`)
    // The raw answer keeps its line breaks as character references, on one line.
    expect(summary()).toMatch(/^<pre>\{&#10; {2}"message": .*&#10;\}<\/pre>$/m)
    expect(summary()).toContain('<p>Note<br><br>## Rejected.')
  })
})

describe('a failure after the outputs are set', () => {
  it('keeps the outputs, and fails the step with one annotation', async () => {
    const broken = verdict({
      summary: { headline: undefined as unknown as string, rows: [] }
    })
    await report(broken)
    expect(outputs).toEqual(verdict().outputs)
    expect(calls.filter(call => !call.startsWith('debug'))).toEqual([
      expect.stringMatching(/^error: Unexpected error: Cannot read properties of undefined/)
    ])
    expect(process.exitCode).toBe(1)
  })
})

describe('the tables of a schema step', () => {
  it('writes each table after the main one, with its caption, escaped', async () => {
    await report(
      verdict({
        summary: {
          headline: 'H',
          rows: [],
          tables: [
            {
              caption: 'Findings',
              counts: '1 error & 1 warning',
              head: ['', 'Property', 'Finding'],
              rows: [
                ['❌ error', { text: 'a<b', code: true }, 'Bad & worse'],
                ['⚠️ warning', '', 'No title.']
              ]
            }
          ]
        }
      })
    )
    expect(summary()).toContain(
      '<h4>Findings</h4>\n' +
        '<p>1 error &amp; 1 warning</p>\n' +
        '<table>\n' +
        '<tr><th></th><th>Property</th><th>Finding</th></tr>\n' +
        '<tr><td>❌ error</td><td><code>a&lt;b</code></td><td>Bad &amp; worse</td></tr>\n' +
        '<tr><td>⚠️ warning</td><td></td><td>No title.</td></tr>\n' +
        '</table>\n'
    )
  })
})

describe('a failure already annotated', () => {
  it('fails the step with a plain line, not a second annotation', async () => {
    await report(verdict({ level: 'fail', message: 'Schema file has 2 errors.' }), {
      annotate: false
    })
    expect(calls).toEqual(['info: Schema file has 2 errors.'])
    expect(process.exitCode).toBe(1)
    expect(outputs.status).toBe('completed')
  })

  it('still annotates a warning', async () => {
    await report(verdict({ level: 'warn', message: 'W.' }), { annotate: false })
    expect(calls).toEqual(["warning [Graph connector 'contosohr']: W."])
  })
})

describe('setOutputs', () => {
  it('sets each output by its name', () => {
    setOutputs({ ...verdict().outputs, status: 'x' })
    expect(outputs.status).toBe('x')
    expect(Object.keys(outputs)).toHaveLength(8)
  })
})

describe('failWithError', () => {
  it('labels an unexpected error and keeps its stack out of the annotation', () => {
    failWithError(new TypeError('x is undefined'))
    expect(calls[0]).toMatch(/^debug: TypeError: x is undefined\n\s+at /)
    expect(calls[1]).toBe('error: Unexpected error: x is undefined')
    expect(calls).toHaveLength(2)
    expect(process.exitCode).toBe(1)
  })

  it("shows the action's own error as it is, with no stack", () => {
    failWithError(new GraphError('Graph said no.'))
    expect(calls).toEqual(['error: Graph said no.'])
    expect(process.exitCode).toBe(1)
  })
})
