// The job summary's HTML and the links to lines of the repository's files.
import { describe, expect, it } from '@jest/globals'
import { lineLink, repositoryOf, summaryHtml } from '../../src/action/summary-html.js'
import type { Summary } from '../../src/engine/summary.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'contoso/connectors',
  GITHUB_SHA: SHA
}
const BLOB = `https://github.com/contoso/connectors/blob/${SHA}/`

describe('repositoryOf', () => {
  it("takes the runner's variables when they are what GitHub sets", () => {
    expect(repositoryOf(ENV)).toEqual({ blob: BLOB })
    expect(repositoryOf({ ...ENV, GITHUB_SERVER_URL: 'https://ghes.contoso.com/' })).toEqual({
      blob: `https://ghes.contoso.com/contoso/connectors/blob/${SHA}/`
    })
    expect(
      repositoryOf({
        GITHUB_SERVER_URL: 'https://ghes.contoso.com:8443',
        GITHUB_REPOSITORY: 'contoso/.github',
        GITHUB_SHA: SHA
      })
    ).toEqual({ blob: `https://ghes.contoso.com:8443/contoso/.github/blob/${SHA}/` })
  })

  it.each([
    ['no server', { GITHUB_SERVER_URL: undefined }],
    ['no repository', { GITHUB_REPOSITORY: undefined }],
    ['an empty repository', { GITHUB_REPOSITORY: '' }],
    ['a repository without its owner', { GITHUB_REPOSITORY: 'connectors' }],
    ['not a URL', { GITHUB_SERVER_URL: 'github.com' }],
    ['no SHA', { GITHUB_SHA: undefined }],
    ['http', { GITHUB_SERVER_URL: 'http://github.com' }],
    ['javascript:', { GITHUB_SERVER_URL: 'javascript:alert(1)' }],
    ['a path', { GITHUB_SERVER_URL: 'https://evil.example/x' }],
    ['a user', { GITHUB_SERVER_URL: 'https://user:pw@github.com' }],
    ['a query', { GITHUB_SERVER_URL: 'https://github.com?x="><script>' }],
    ['a quote', { GITHUB_SERVER_URL: 'https://github.com"onmouseover="x' }],
    ['three parts', { GITHUB_REPOSITORY: 'a/b/c' }],
    ['a dot-dot name', { GITHUB_REPOSITORY: 'a/..' }],
    ['a dot name', { GITHUB_REPOSITORY: 'a/.' }],
    ['markup', { GITHUB_REPOSITORY: 'a/<b>' }],
    ['a short SHA', { GITHUB_SHA: '0123456' }],
    ['a branch', { GITHUB_SHA: 'main' }]
  ])('makes no links with %s', (_name, change) => {
    expect(repositoryOf({ ...ENV, ...change })).toBeUndefined()
  })
})

describe('lineLink', () => {
  const repository = { blob: BLOB }

  it('links a relative path, each segment encoded', () => {
    expect(lineLink(repository, { path: 'connector/schema.json', line: 12 })).toBe(
      `${BLOB}connector/schema.json#L12`
    )
    expect(lineLink(repository, { path: './my files/a#b?.json', line: 3 })).toBe(
      `${BLOB}my%20files/a%23b%3F.json#L3`
    )
    expect(lineLink(repository, { path: 'schema.json', line: 1 })).toBe(`${BLOB}schema.json#L1`)
  })

  it.each([
    ['an absolute path', '/etc/passwd', 1],
    ['a parent', '../other/schema.json', 1],
    ['a backslash', 'a\\b.json', 1],
    ['a control character', 'a\nb.json', 1],
    ['no file', '', 1],
    ['line 0', 'a.json', 0]
  ])('makes none for %s', (_name, path, line) => {
    expect(lineLink(repository, { path, line })).toBeUndefined()
  })

  it('makes none without a repository', () => {
    expect(lineLink(undefined, { path: 'a.json', line: 1 })).toBeUndefined()
  })
})

const failed: Summary = {
  headline: '❌ contosohr: schema deployment failed after 2 min',
  rows: [
    { label: 'Schema file', value: 'connector/schema.json', code: true },
    { label: 'Sent to Graph', value: 'PATCH with 3 properties' }
  ],
  failure: {
    message: 'The schema is not valid.',
    details: [
      {
        target: 'lastModified',
        code: 'InvalidProperty',
        message: 'Must be queryable.',
        at: { path: 'connector/schema.json', line: 14 }
      },
      { target: 'title', code: 'InvalidLabel', message: 'Label used twice.' },
      { target: 'url', code: 'InvalidLabel', message: 'Label used twice.' }
    ],
    ids: [{ label: 'Request ID', value: 'r-1', code: true }],
    raw: '{\n  "code": "InvalidSchema"\n}'
  },
  todo: 'Fix the schema file where Graph points.',
  details: [{ label: 'Operation', value: 'op1', code: true }]
}

describe('summaryHtml', () => {
  it('writes a failure: the message, one row per detail, what to do, the details open', () => {
    const html = summaryHtml({ level: 'fail', summary: failed }, { blob: BLOB })
    expect(html.split('\n')).toEqual([
      '<h3>❌ contosohr: schema deployment failed after 2 min</h3>',
      '<ul>',
      '<li><b>Schema file:</b> <code>connector/schema.json</code></li>',
      '<li><b>Sent to Graph:</b> PATCH with 3 properties</li>',
      '</ul>',
      '<p><b>Graph said:</b> The schema is not valid.</p>',
      '<table>',
      '<tr><th>Target</th><th>Code</th><th>Message</th></tr>',
      `<tr><td><a href="${BLOB}connector/schema.json#L14"><code>lastModified</code></a></td>` +
        '<td><code>InvalidProperty</code></td><td>Must be queryable.</td></tr>',
      '<tr><td><code>title</code></td><td><code>InvalidLabel</code></td><td>Label used twice.</td></tr>',
      '<tr><td><code>url</code></td><td><code>InvalidLabel</code></td><td>Label used twice.</td></tr>',
      '</table>',
      '<p><b>What to do:</b> Fix the schema file where Graph points.</p>',
      '<details open>',
      '<summary>Details</summary>',
      '<ul>',
      '<li><b>Operation:</b> <code>op1</code></li>',
      '<li><b>Request ID:</b> <code>r-1</code></li>',
      '</ul>',
      "<details><summary>Graph's answer</summary>",
      '<pre>{&#10;  "code": "InvalidSchema"&#10;}</pre>',
      '</details>',
      '</details>',
      ''
    ])
  })

  it('links no line without the repository, and folds the details on success', () => {
    const html = summaryHtml({ level: 'pass', summary: failed })
    expect(html).not.toContain('<a ')
    expect(html).toContain('\n<details>\n')
  })

  it('leaves out the columns of error.details no item fills', () => {
    const summary = {
      ...failed,
      failure: { message: 'M', details: [{ target: '', code: '', message: 'Just this.' }], ids: [] }
    }
    expect(summaryHtml({ level: 'fail', summary })).toContain(
      '<table>\n<tr><th>Message</th></tr>\n<tr><td>Just this.</td></tr>\n</table>'
    )
  })

  it('writes a headline alone when there is nothing else to say', () => {
    expect(
      summaryHtml({ level: 'pass', summary: { headline: '✅ contosohr is ready', rows: [] } })
    ).toBe('<h3>✅ contosohr is ready</h3>\n')
  })

  it('folds details without a raw answer, and a raw answer without details', () => {
    const withDetails: Summary = {
      headline: 'H',
      rows: [],
      details: [{ label: 'Polls', value: '3' }]
    }
    expect(summaryHtml({ level: 'pass', summary: withDetails }).split('\n')).toEqual([
      '<h3>H</h3>',
      '<details>',
      '<summary>Details</summary>',
      '<ul>',
      '<li><b>Polls:</b> 3</li>',
      '</ul>',
      '</details>',
      ''
    ])
    const rawOnly: Summary = {
      headline: 'H',
      rows: [],
      failure: { message: '', details: [], ids: [], raw: '{}' }
    }
    expect(summaryHtml({ level: 'fail', summary: rawOnly }).split('\n')).toEqual([
      '<h3>H</h3>',
      '<details open>',
      '<summary>Details</summary>',
      "<details><summary>Graph's answer</summary>",
      '<pre>{}</pre>',
      '</details>',
      '</details>',
      ''
    ])
  })

  it('keeps a column of error.details that one item fills', () => {
    const summary: Summary = {
      headline: 'H',
      rows: [],
      failure: {
        message: '',
        details: [
          { target: '', code: 'A', message: 'One.' },
          { target: '', code: '', message: 'Two.' }
        ],
        ids: []
      }
    }
    expect(summaryHtml({ level: 'fail', summary })).toContain(
      '<table>\n<tr><th>Code</th><th>Message</th></tr>\n' +
        '<tr><td><code>A</code></td><td>One.</td></tr>\n<tr><td></td><td>Two.</td></tr>\n</table>'
    )
  })

  it('writes a table whole, empty cells kept, its count line only when given', () => {
    const summary: Summary = {
      headline: 'H',
      rows: [],
      tables: [
        {
          caption: 'Findings',
          head: ['Where', 'What', 'Note'],
          rows: [[{ text: 'schema.json:2', at: { path: 'schema.json', line: 2 } }, 'a <b>', '']]
        },
        { caption: 'Changes', counts: '1 change', head: ['Field'], rows: [['description']] }
      ]
    }
    expect(summaryHtml({ level: 'pass', summary }, { blob: 'https://x.example/"q/' })).toBe(
      [
        '<h3>H</h3>',
        '<h4>Findings</h4>',
        '<table>',
        '<tr><th>Where</th><th>What</th><th>Note</th></tr>',
        '<tr><td><a href="https://x.example/&quot;q/schema.json#L2">schema.json:2</a></td>' +
          '<td>a &lt;b&gt;</td><td></td></tr>',
        '</table>',
        '<h4>Changes</h4>',
        '<p>1 change</p>',
        '<table>',
        '<tr><th>Field</th></tr>',
        '<tr><td>description</td></tr>',
        '</table>',
        ''
      ].join('\n')
    )
  })
})
