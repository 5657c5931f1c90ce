// The engine's summary as the job summary's HTML, and the links to lines of the repository's
// files. Pure. Every line written is one HTML element that starts with a tag, text in it has no
// line break and there is no blank line: GitHub then renders none of it as Markdown, so text
// from Graph or from a file stays text.
import type { Cell, FileLine, Summary, SummaryRow, Verdict } from '../engine/index.js'

/** Where a file of the run's commit is on GitHub: `<origin>/<owner>/<repo>/blob/<sha>/`. */
export interface Repository {
  blob: string
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const NAME = /^[A-Za-z0-9._-]{1,100}$/
const SHA = /^[0-9a-f]{40}$/
// What the URL parser leaves of a host, without the characters it lets through (a quote).
const HOST = /^[a-z0-9.-]+(?::\d{1,5})?$/

/**
 * The repository from the runner's variables (GITHUB_SERVER_URL, GITHUB_REPOSITORY,
 * GITHUB_SHA), or undefined when one is missing or not what GitHub sets: an https origin and
 * nothing else, an owner/name of the characters GitHub allows, a full commit SHA.
 */
export function repositoryOf(
  env: Readonly<Record<string, string | undefined>>
): Repository | undefined {
  // A missing variable fails its check below: String(undefined) is 'undefined'.
  const server = String(env.GITHUB_SERVER_URL)
  const sha = String(env.GITHUB_SHA)
  if (!SHA.test(sha) || !URL.canParse(server)) return undefined
  const url = new URL(server)
  // An origin and nothing else: a user, a path, a query or a fragment would not equal it.
  if (
    url.protocol !== 'https:' ||
    !HOST.test(url.host) ||
    server.replace(/\/$/, '') !== url.origin
  ) {
    return undefined
  }
  const parts = String(env.GITHUB_REPOSITORY).split('/')
  const [owner, name] = parts
  if (
    parts.length !== 2 ||
    !OWNER.test(owner) ||
    !NAME.test(name) ||
    name === '.' ||
    name === '..'
  ) {
    return undefined
  }
  return { blob: `${url.origin}/${owner}/${name}/blob/${sha}/` }
}

/**
 * The link to a line of a file in the repository, or undefined when the path is not a plain
 * relative path inside it (absolute, `..`, a backslash, a control character).
 */
export function lineLink(repository: Repository | undefined, at: FileLine): string | undefined {
  if (!repository || !Number.isInteger(at.line) || at.line < 1) return undefined
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(at.path) || at.path.startsWith('/')) return undefined
  const segments = at.path.split('/').filter(segment => segment !== '' && segment !== '.')
  if (!segments.length || segments.includes('..')) return undefined
  return `${repository.blob}${segments.map(encodeURIComponent).join('/')}#L${at.line}`
}

/** The summary as HTML lines, ending with a line break. */
export function summaryHtml(
  verdict: Pick<Verdict, 'level' | 'summary'>,
  repository?: Repository
): string {
  const summary: Summary = verdict.summary
  const lines: string[] = [`<h3>${asHtml(summary.headline)}</h3>`]
  if (summary.rows.length) lines.push(...facts(summary.rows))
  const { failure } = summary
  if (failure?.message) lines.push(`<p><b>Graph said:</b> ${asHtml(failure.message)}</p>`)
  if (failure?.details.length) {
    const { details } = failure
    // Only the columns some item fills: Graph often leaves out target or code.
    const filled = [details.some(each => each.target), details.some(each => each.code), true]
    const only = <T>(cells: T[]): T[] => cells.filter((_, column) => filled[column])
    const rows: Cell[][] = details.map(detail =>
      only<Cell>([
        detail.target ? { text: detail.target, code: true, at: detail.at } : '',
        detail.code ? { text: detail.code, code: true } : '',
        detail.message
      ])
    )
    lines.push(...table(only(['Target', 'Code', 'Message']), rows, repository))
  }
  if (summary.todo) lines.push(`<p><b>What to do:</b> ${asHtml(summary.todo)}</p>`)
  if (summary.note) lines.push(`<p>${asHtml(summary.note)}</p>`)
  for (const each of summary.tables ?? []) {
    lines.push(`<h4>${asHtml(each.caption)}</h4>`)
    if (each.counts) lines.push(`<p>${asHtml(each.counts)}</p>`)
    lines.push(...table(each.head, each.rows, repository))
  }
  const details = [...(summary.details ?? []), ...(failure?.ids ?? [])]
  if (details.length || failure?.raw) {
    lines.push(verdict.level === 'fail' ? '<details open>' : '<details>')
    lines.push('<summary>Details</summary>')
    if (details.length) lines.push(...facts(details))
    if (failure?.raw) {
      // Folded even when the details are open; one line: a character reference keeps each
      // line break inside the <pre>.
      lines.push("<details><summary>Graph's answer</summary>")
      lines.push(`<pre>${asHtml(failure.raw, '&#10;')}</pre>`)
      lines.push('</details>')
    }
    lines.push('</details>')
  }
  return `${lines.join('\n')}\n`
}

function facts(rows: SummaryRow[]): string[] {
  return [
    '<ul>',
    ...rows.map(row => {
      const value = row.code ? `<code>${asHtml(row.value)}</code>` : asHtml(row.value)
      return `<li><b>${asHtml(row.label)}:</b> ${value}</li>`
    }),
    '</ul>'
  ]
}

/** A table, one line per row. */
function table(head: string[], rows: Cell[][], repository: Repository | undefined): string[] {
  return [
    '<table>',
    `<tr>${head.map(text => `<th>${asHtml(text)}</th>`).join('')}</tr>`,
    ...rows.map(
      row => `<tr>${row.map(item => `<td>${cellHtml(item, repository)}</td>`).join('')}</tr>`
    ),
    '</table>'
  ]
}

function cellHtml(cell: Cell, repository: Repository | undefined): string {
  if (typeof cell === 'string') return asHtml(cell)
  const text = cell.code ? `<code>${asHtml(cell.text)}</code>` : asHtml(cell.text)
  const href = cell.at && lineLink(repository, cell.at)
  return href ? `<a href="${attribute(href)}">${text}</a>` : text
}

/** Text as HTML that renders as that text: escaped, its line breaks as <br> (or as given). */
export function asHtml(text: string, lineBreak = '<br>'): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, lineBreak)
}

/** A URL as an attribute value in double quotes. */
function attribute(text: string): string {
  return asHtml(text).replace(/"/g, '&quot;')
}
