// `npm run summaries`: renders each kind of job summary as the action writes it, in a page styled
// like GitHub's Markdown (a stylesheet of our own), and saves a screenshot of each with headless
// Chromium (Debian's `chromium`). Without Chromium it writes the HTML pages only, and says so.
// The summaries come from the engine's own verdicts and src/action/summary-html.ts, so what the
// screenshots show is what a run writes. Everything the action writes is HTML blocks, which
// GitHub's Markdown keeps as they are (its sanitizer allows these tags): the page shows them as
// GitHub would.
//
//   npm run summaries                 # every kind into summaries/ (git-ignored)
//   npm run summaries -- --out docs/images failure plan   # only these kinds, into docs/images
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { register } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

register('./ts-loader.js', import.meta.url)

const root = resolve(import.meta.dirname, '..')
/** @type {typeof import('../src/engine/verdict.js')} */
const { verdictOf } = await import('../src/engine/verdict.js')
/** @type {typeof import('../src/engine/targets.js')} */
const { watchFor } = await import('../src/engine/targets.js')
/** @type {typeof import('../src/engine/schema.js')} */
const { checkSchema } = await import('../src/engine/schema.js')
/** @type {typeof import('../src/engine/schema-report.js')} */
const report = await import('../src/engine/schema-report.js')
/** @type {typeof import('../src/engine/schema-diff.js')} */
const { diffSchemas } = await import('../src/engine/schema-diff.js')
/** @type {typeof import('../src/engine/schema-changes.js')} */
const { classifySchemaChanges } = await import('../src/engine/schema-changes.js')
/** @type {typeof import('../src/engine/connector-report.js')} */
const connectorReport = await import('../src/engine/connector-report.js')
/** @type {typeof import('../src/engine/reconcile.js')} */
const { refusedChanges } = await import('../src/engine/reconcile.js')
/** @type {typeof import('../src/action/summary-html.js')} */
const { repositoryOf, summaryHtml } = await import('../src/action/summary-html.js')

const args = process.argv.slice(2)
const outAt = args.indexOf('--out')
const out = resolve(root, outAt >= 0 ? args[outAt + 1] : 'summaries')
const only = args.filter((arg, i) => arg !== '--out' && i !== outAt + 1)

// A run on github.com, for the links to lines.
const repository = repositoryOf({
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'contoso/search-connectors',
  GITHUB_SHA: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39'
})
const FILE = 'connector/schema.json'
const schemaText = readFileSync(join(root, 'examples', 'connector', 'schema.json'), 'utf8')
const checked = checkSchema(schemaText)
const schema = checked.schema
if (!schema) throw new Error('examples/connector/schema.json has errors')
const lines = { path: FILE, byProperty: checked.lines ?? new Map() }
const schemaTarget = { connectionId: 'contosohr', schemaFile: { path: FILE, shown: FILE } }
const operation = /** @type {const} */ ({
  kind: 'operation',
  connectionId: 'contosohr',
  operationId: '795b3c3a-3f1b-4d6c-9a3e-5c1b2f7d8e90'
})
const operationUrl = `https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/${operation.operationId}`
const context = {
  target: operation,
  operationUrl,
  watch: watchFor(operation, /** @type {never} */ ({})),
  timeoutMs: 1_800_000,
  failOnFailure: true,
  elapsedMs: 372_000
}
const sent = {
  done: 'schema deployed',
  doing: 'schema deployment',
  rows: [
    { label: 'Schema file', value: FILE, code: true },
    { label: 'Sent to Graph', value: `PATCH with ${schema.properties.length} properties` }
  ],
  warnings: 0,
  lines
}
// Graph's schema before this run: one property less, one more, one with other labels.
const before = {
  baseType: schema.baseType,
  properties: [
    ...schema.properties
      .filter((_, i) => i !== 1)
      .map((p, i) => (i === 0 ? { ...p, aliases: ['heading'] } : p)),
    { name: 'legacyCode', type: 'String', isRetrievable: true }
  ]
}
const diff = diffSchemas(before, schema)
const warnings = checkSchema(
  schemaText.replace(/"labels":\s*\[[^\]]*"iconUrl"[^\]]*\]/, '"labels": []')
).findings
const names = schema.properties.map(p => p.name)
const graphError = {
  code: 'InvalidRequest',
  message:
    'The schema update was rejected. CorrelationId: 6a1e0f4c-2b7d-4e8a-9c3f-1d5b7a9e2c40, ' +
    'Timestamp: 2026-11-30 10:42:17Z',
  details: [
    {
      code: 'InvalidPropertyDefinition',
      target: names[0],
      message: `Property ${names[0]}: a property with the title label must be retrievable.`
    },
    {
      code: 'UnsupportedSchemaChange',
      target: names[1],
      message: `Property ${names[1]}: the type of an existing property cannot change.`
    },
    {
      code: 'TooManyRefinableProperties',
      target: names[2],
      message: 'isRefinable cannot be set on more than 50 properties.'
    }
  ],
  innerError: {
    date: '2026-11-30T10:42:17',
    'request-id': '2f7c3b1a-9d4e-4f6a-8b2c-1e0d9a8b7c6f',
    'client-request-id': '2f7c3b1a-9d4e-4f6a-8b2c-1e0d9a8b7c6f'
  }
}

const connectorFile = { path: 'connector/connector.json', shown: 'connector/connector.json' }
const current = { id: 'contosokb', name: 'Contoso KB', description: 'Old words.', state: 'ready' }
/** @type {import('../src/engine/reconcile.js').ConnectorPlan} */
const plan = {
  connectionId: 'contosokb',
  current,
  fields: [
    {
      field: 'description',
      from: 'Old words.',
      to: 'How-to articles from the Contoso IT help desk.'
    },
    {
      field: 'searchSettings',
      from: undefined,
      to: { searchResultTemplates: [{ id: 'kb', priority: 1 }] }
    }
  ],
  schema: classifySchemaChanges(
    { properties: schema.properties.filter((_, i) => i !== 1) },
    { properties: schema.properties.map((p, i) => (i === 2 ? { ...p, isSearchable: true } : p)) },
    'contosokb'
  ),
  submitSchema: true
}
const refusedPlan = {
  ...plan,
  fields: [],
  schema: classifySchemaChanges(before, schema, 'contosokb')
}
const planContext = { connectorFile, failOnChanges: false, elapsedMs: 1_300, voice: undefined }
const voice = (await import('../src/engine/model.js')).ACTION_VOICE

/** @type {Record<string, () => import('../src/engine/verdict.js').Verdict>} */
const kinds = {
  success: () =>
    verdictOf({ outcome: 'done', status: 'completed', polls: 12, resource: {} }, context),
  failure: () =>
    verdictOf(
      {
        outcome: 'failed',
        status: 'failed',
        polls: 9,
        resource: { status: 'failed', error: graphError }
      },
      { ...context, deployed: sent }
    ),
  timeout: () =>
    verdictOf(
      { outcome: 'timedOut', status: 'inprogress', polls: 60, resource: {} },
      { ...context, elapsedMs: 1_800_000, deployed: sent }
    ),
  cancel: () =>
    verdictOf(
      { outcome: 'cancelled', status: 'inprogress', polls: 4, resource: {} },
      { ...context, elapsedMs: 95_000, deployed: sent }
    ),
  'validate-only': () => {
    const text = schemaText
      .replace('"String"', '"Strin"')
      .replace(/"isSearchable": true/, '"isSearchable": "yes"')
    const findings = checkSchema(text).findings
    return report.schemaCheckVerdict(schemaTarget, findings, 40, voice)
  },
  'schema-deploy': () => {
    const verdict = verdictOf(
      { outcome: 'done', status: 'completed', polls: 14, resource: {} },
      { ...context, deployed: { ...sent, warnings: warnings.length + diff.warnings.length } }
    )
    verdict.summary.tables = [
      report.findingsTable(FILE, warnings, FILE),
      report.changesTable(diff, schema)
    ]
    return verdict
  },
  'in-place': () => report.inPlaceVerdict(schemaTarget, { state: 'ready' }, 2_100),
  plan: () => connectorReport.planVerdict(plan, { ...planContext, voice }),
  drift: () => connectorReport.planVerdict(plan, { ...planContext, failOnChanges: true, voice }),
  refused: () => {
    const error = refusedChanges(refusedPlan)
    if (!error) throw new Error('the refused plan refuses nothing')
    return connectorReport.refusedVerdict(refusedPlan, error, 1_100)
  }
}

const css = readFileSync(join(import.meta.dirname, 'summaries.css'), 'utf8')
const page = (/** @type {string} */ body) =>
  `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head>` +
  `<body><main class="summary">${body}</main>` +
  '<script>document.body.setAttribute("data-height", document.documentElement.scrollHeight)</script>' +
  '</body></html>'

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(path => existsSync(path))
if (!chromium) {
  console.log('No Chromium (apt-get install -y chromium): writing the HTML pages only.')
}
mkdirSync(out, { recursive: true })
const WIDTH = 880
for (const [name, verdictOfKind] of Object.entries(kinds)) {
  if (only.length && !only.includes(name)) continue
  const html = join(out, `${name}.html`)
  writeFileSync(html, page(summaryHtml(verdictOfKind(), repository)))
  if (!chromium) {
    console.log(`${name}: ${html}`)
    continue
  }
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--force-device-scale-factor=1'
  ]
  const url = pathToFileURL(html).href
  // The page's height, measured at the width of the shot: the body writes it into the title.
  const dom = execFileSync(
    chromium,
    [...flags, `--window-size=${WIDTH},400`, '--virtual-time-budget=1000', '--dump-dom', url],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
  )
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 1200) + 24
  const png = join(out, `${name}.png`)
  execFileSync(
    chromium,
    [...flags, `--window-size=${WIDTH},${height}`, `--screenshot=${png}`, url],
    {
      stdio: 'ignore'
    }
  )
  // Fewer colours (pngquant, Debian's `pngquant`): text and a few icons need no more, and the
  // file is a few tens of KB. Without it the PNG stays as Chromium wrote it.
  try {
    execFileSync('pngquant', ['--force', '--quality=40-80', '--output', png, png], {
      stdio: 'ignore'
    })
  } catch {
    // No pngquant.
  }
  rmSync(html)
  console.log(`${name}: ${png}`)
}
