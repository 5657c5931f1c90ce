// `npm run bench`: the bundled action against the simulator, side by side with
// the hand-written curl loop it replaces, in one run on one machine. Prints a
// Markdown table of medians. A benchmark, not a test: it never fails on slow
// machines, it only reports (and marks each goal met or missed).
import { execFileSync, spawn } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, startSimulator } from '../simulator/simulator.js'

const root = join(import.meta.dirname, '..')
const RUNS = Number(process.env.BENCH_RUNS) || 7
const DONE_AFTER_MS = 3_000 // the simulated operation completes this long after it is created
const INTERVAL_S = 2 // the curl loop's sleep, and the first interval of 'auto'
const node24 = execFileSync(process.execPath, [join(root, 'scripts', 'with-node.js'), '24'], {
  encoding: 'utf8'
}).trim()
const work = mkdtempSync(join(tmpdir(), 'bench-'))
writeFileSync(join(work, 'output'), '')
const sim = await startSimulator()

// What people paste into workflows: a new token and a new connection for every
// poll (one curl process per request), a fixed sleep, exit on completed/failed.
const curlLoop = join(work, 'curl-loop.sh')
writeFileSync(
  curlLoop,
  `#!/usr/bin/env bash
url=$1; op=$2; interval=$3
while :; do
  token=$(curl -s "$url/${DEFAULTS.tenantId}/oauth2/v2.0/token" -d grant_type=client_credentials \\
    -d client_id=${DEFAULTS.clientId} --data-urlencode 'client_secret=${DEFAULTS.clientSecret}' \\
    --data-urlencode "scope=$url/.default" | jq -r .access_token)
  status=$(curl -s -H "Authorization: Bearer $token" \\
    "$url/v1.0/external/connections/${DEFAULTS.connectionId}/operations/$op" | jq -r .status)
  case $status in completed) exit 0 ;; failed) exit 1 ;; esac
  sleep "$interval"
done
`,
  { mode: 0o755 }
)

/**
 * Runs a command until it exits; returns spawn and exit times on Date.now().
 * @param {string} command
 * @param {string[]} args
 * @param {Record<string, string>} [env]
 */
async function timed(command, args, env = {}) {
  const spawnedAt = Date.now()
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: 'ignore'
  })
  const code = await new Promise(resolve => child.on('close', resolve))
  return { spawnedAt, exitedAt: Date.now(), code }
}

/**
 * The bundled action on Node 24, signed in to the simulator, with these INPUT_*
 * (and other) variables on top.
 * @param {Record<string, string>} env
 */
function runAction(env) {
  return timed(node24, [join(root, 'dist', 'index.js')], {
    'INPUT_TENANT-ID': DEFAULTS.tenantId,
    'INPUT_CLIENT-ID': DEFAULTS.clientId,
    'INPUT_CLIENT-SECRET': DEFAULTS.clientSecret,
    'INPUT_CONNECTION-ID': DEFAULTS.connectionId,
    'INPUT_GRAPH-URL': sim.url,
    'INPUT_AUTHORITY-URL': sim.url,
    GITHUB_OUTPUT: join(work, 'output'),
    ...env
  })
}

/**
 * One wait for an operation that completes DONE_AFTER_MS after it is created.
 * @param {'action' | 'curl'} kind
 * @param {number} index
 */
async function waitOnce(kind, index) {
  const operationId = `${kind}-${index}`
  sim.setOperation(DEFAULTS.connectionId, operationId, {
    statuses: ['inprogress', 'completed'],
    everyMs: DONE_AFTER_MS
  })
  const doneAt = Date.now() + DONE_AFTER_MS
  const from = sim.requests.length
  const run =
    kind === 'action'
      ? await runAction({
          'INPUT_OPERATION-ID': operationId,
          'INPUT_POLL-INTERVAL-SECONDS': 'auto',
          'INPUT_TIMEOUT-SECONDS': '60'
        })
      : await timed('bash', [curlLoop, sim.url, operationId, String(INTERVAL_S)])
  if (run.code !== 0) throw new Error(`${kind} run ${index} exited with ${run.code}`)
  const requests = sim.requests.slice(from)
  const terminal = requests.filter(r => r.service === 'graph').at(-1)
  const perService = (/** @type {string} */ service) => requests.filter(r => r.service === service)
  return {
    detection: run.exitedAt - doneAt,
    exitLag: run.exitedAt - (terminal?.respondedAt ?? NaN),
    startup: requests[0].at - run.spawnedAt,
    connections: new Set(requests.map(r => r.connection)).size,
    tokenRequests: perService('token').length,
    graphRequests: perService('graph').length,
    graphConnections: new Set(perService('graph').map(r => r.connection)).size
  }
}

// A schema file with a mistake Graph would report only after working on it
// (a searchable int64): found locally, before any request.
const schemaDir = join(work, 'workspace')
mkdirSync(join(schemaDir, 'connector'), { recursive: true })
writeFileSync(
  join(schemaDir, 'connector', 'schema.json'),
  JSON.stringify({ properties: [{ name: 'priority', type: 'int64', isSearchable: true }] })
)

/** Spawn to exit of the action on an invalid schema file, and the requests it made. */
async function invalidSchemaOnce() {
  const from = sim.requests.length
  const run = await runAction({
    'INPUT_SCHEMA-FILE': 'connector/schema.json',
    GITHUB_WORKSPACE: schemaDir
  })
  if (run.code !== 1) throw new Error(`the invalid schema run exited with ${run.code}`)
  return { verdictMs: run.exitedAt - run.spawnedAt, requests: sim.requests.length - from }
}

// The in-sync re-run of a deployment: the example connector deployed once, then
// the same connector file (connector-file) and its schema alone (schema-file)
// run again. Neither should write; the figures are their requests and time.
const syncDir = join(work, 'sync')
cpSync(join(root, 'examples', 'connector'), join(syncDir, 'connector'), { recursive: true })
const example = JSON.parse(readFileSync(join(syncDir, 'connector', 'connector.json'), 'utf8'))
writeFileSync(join(syncDir, 'connector', 'schema.json'), JSON.stringify(example.schema))
const syncInputs = {
  'INPUT_CONNECTION-ID': example.id,
  'INPUT_POLL-INTERVAL-SECONDS': '0.05',
  GITHUB_WORKSPACE: syncDir
}
const deployedOnce = await runAction({
  ...syncInputs,
  'INPUT_CONNECTOR-FILE': 'connector/connector.json'
})
if (deployedOnce.code !== 0)
  throw new Error(`the first connector deployment exited with ${deployedOnce.code}`)

/**
 * Spawn to exit of a re-run that finds everything in place, and its Graph requests.
 * @param {'connector-file' | 'schema-file'} kind
 */
async function inSyncOnce(kind) {
  const from = sim.requests.length
  const run = await runAction({
    ...syncInputs,
    ...(kind === 'connector-file'
      ? { 'INPUT_CONNECTOR-FILE': 'connector/connector.json' }
      : { 'INPUT_SCHEMA-FILE': 'connector/schema.json' })
  })
  if (run.code !== 0) throw new Error(`the in-sync ${kind} run exited with ${run.code}`)
  const graph = sim.requests.slice(from).filter(r => r.service === 'graph')
  return {
    ms: run.exitedAt - run.spawnedAt,
    requests: graph.length,
    writes: graph.filter(r => r.method !== 'GET').length
  }
}

/** Spawn to first request of bare Node making one request: the floor for start-up. */
async function bareNodeOnce() {
  const from = sim.requests.length
  const run = await timed(node24, ['-e', `require('http').get('${sim.url}/bare', r => r.resume())`])
  return sim.requests[from].at - run.spawnedAt
}

/** @param {number[]} values */
const median = values => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
/**
 * @param {Awaited<ReturnType<typeof waitOnce>>[]} runs
 * @param {keyof Awaited<ReturnType<typeof waitOnce>>} key
 */
const pick = (runs, key) => median(runs.map(run => run[key]))
const ms = (/** @type {number} */ value) => `${Math.round(value)} ms`

// Interleaved, so that drift in the machine's load hits both sides alike.
const action = []
const curl = []
const bare = []
const invalid = []
/** @type {Record<'connector-file' | 'schema-file', Awaited<ReturnType<typeof inSyncOnce>>[]>} */
const inSync = { 'connector-file': [], 'schema-file': [] }
console.error(
  `Benchmarking: ${RUNS} runs each, Node ${execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim()}…`
)
for (let i = 0; i < RUNS; i++) {
  bare.push(await bareNodeOnce())
  action.push(await waitOnce('action', i))
  curl.push(await waitOnce('curl', i))
  invalid.push(await invalidSchemaOnce())
  inSync['connector-file'].push(await inSyncOnce('connector-file'))
  inSync['schema-file'].push(await inSyncOnce('schema-file'))
}
await sim.close()

const bundleBytes = statSync(join(root, 'dist', 'index.js')).size
const startupRatio = pick(action, 'startup') / median(bare)
const goal = (/** @type {boolean} */ ok) => (ok ? '✅' : '❌')
const invalidVerdictMs = median(invalid.map(r => r.verdictMs))
const rows = [
  ['figure', 'action', 'curl loop (baseline)', 'goal'],
  [
    'detection latency (operation completed → process exited)',
    `${ms(pick(action, 'detection'))} (${(pick(action, 'detection') / pick(curl, 'detection')).toFixed(2)}× the loop)`,
    ms(pick(curl, 'detection')),
    `${goal(pick(action, 'detection') <= INTERVAL_S * 1000 + 100)} ≤ poll interval (${INTERVAL_S} s) + 100 ms`
  ],
  [
    'exit lag (terminal response → process exited)',
    ms(pick(action, 'exitLag')),
    ms(pick(curl, 'exitLag')),
    `${goal(pick(action, 'exitLag') < 100)} < 100 ms`
  ],
  [
    'start-up (spawn → first request)',
    `${ms(pick(action, 'startup'))} (${startupRatio.toFixed(2)}× bare node: ${ms(median(bare))})`,
    ms(pick(curl, 'startup')),
    `${goal(startupRatio <= 1.5)} ≤ 1.5× bare node`
  ],
  [
    'token requests per wait',
    String(pick(action, 'tokenRequests')),
    String(pick(curl, 'tokenRequests')),
    `${goal(pick(action, 'tokenRequests') === 1)} exactly 1`
  ],
  [
    'Graph requests per wait',
    String(pick(action, 'graphRequests')),
    String(pick(curl, 'graphRequests')),
    ''
  ],
  [
    'TCP connections per wait (to Graph)',
    `${pick(action, 'connections')} (${pick(action, 'graphConnections')})`,
    `${pick(curl, 'connections')} (${pick(curl, 'graphConnections')})`,
    `${goal(pick(action, 'graphConnections') === 1)} 1 per host`
  ],
  [
    'invalid schema: start → verdict (requests sent)',
    `${ms(invalidVerdictMs)} (${Math.max(...invalid.map(r => r.requests))})`,
    '5–15 min: Graph reports it when its operation fails',
    `${goal(invalidVerdictMs < 1000 && invalid.every(r => r.requests === 0))} < 1 s, no request`
  ],
  .../** @type {const} */ (['connector-file', 'schema-file']).map(kind => {
    const runs = inSync[kind]
    const requests = Math.max(...runs.map(r => r.requests))
    const writes = Math.max(...runs.map(r => r.writes))
    return [
      `in-sync re-run, ${kind}: start → verdict (Graph requests, writes)`,
      `${ms(median(runs.map(r => r.ms)))} (${requests}, ${writes})`,
      '',
      kind === 'connector-file'
        ? `${goal(requests <= 3 && writes === 0)} ≤ 3 requests, no write`
        : ''
    ]
  }),
  ['bundle size of dist/index.js', `${(bundleBytes / 1024).toFixed(0)} kB`, '', '']
]

// Adaptive polling over a 10-minute operation, on a simulated clock: the real
// polling loop (src/engine/wait.ts, compiled here) with requests that take 50 ms.
const build = join(work, 'build')
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    join(root, 'src', 'engine', 'wait.ts'),
    '--outDir',
    build,
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--skipLibCheck',
    '--types',
    'node',
    '--ignoreConfig'
  ],
  { stdio: 'inherit' }
)
writeFileSync(join(build, 'package.json'), '{"type":"module"}')
const { waitFor } = await import(join(build, 'wait.js'))

/**
 * @param {number | 'auto'} pollIntervalMs
 * @param {number} doneAt
 */
async function simulate(pollIntervalMs, doneAt) {
  let time = 0
  const result = await waitFor(
    {
      read: async () => {
        time += 50
        return { status: time >= doneAt ? 'completed' : 'inprogress' }
      },
      statusOf: (/** @type {{ status: string }} */ resource) => resource.status,
      meaningOf: (/** @type {string} */ status) => (status === 'completed' ? 'done' : 'pending')
    },
    {
      budget: {
        now: () => time,
        sleep: async (/** @type {number} */ delay) => {
          time += delay
        },
        startedAt: 0,
        deadline: 3_600_000
      },
      pollIntervalMs
    }
  )
  return { polls: result.polls, latency: time - doneAt }
}

const TEN_MINUTES = 600_000
const STEP_MS = 250 // completion moments tried: every quarter second of the 10 minutes
const polling = []
/** @type {[string, number | 'auto'][]} */
const settings = [
  ['auto', 'auto'],
  ['fixed 10 s', 10_000],
  ['fixed 60 s (PnP CLI, published samples)', 60_000]
]
for (const [name, setting] of settings) {
  let worst = 0
  let worstShare = 0
  let early = 0
  for (let doneAt = STEP_MS; doneAt <= TEN_MINUTES; doneAt += STEP_MS) {
    const { latency } = await simulate(setting, doneAt)
    worst = Math.max(worst, latency)
    if (doneAt <= 20_000) early = Math.max(early, latency)
    else worstShare = Math.max(worstShare, latency / doneAt)
  }
  const { polls } = await simulate(setting, TEN_MINUTES)
  polling.push([
    name,
    String(polls),
    `${(worst / 1000).toFixed(1)} s`,
    `${(early / 1000).toFixed(1)} s`,
    `${(worstShare * 100).toFixed(1)} %`
  ])
}
rmSync(work, { recursive: true, force: true })

const table = (/** @type {string[][]} */ lines) =>
  [lines[0], lines[0].map(() => '---'), ...lines.slice(1)]
    .map(r => `| ${r.join(' | ')} |`)
    .join('\n')
console.log(
  `Medians of ${RUNS} runs on ${cpus().length} × ${cpus()[0]?.model.trim()}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim()}; ` +
    `the operation completes ${DONE_AFTER_MS / 1000} s after it starts; the curl loop sleeps ${INTERVAL_S} s, ` +
    `the action polls 'auto' (2 s at first).\n`
)
console.log(table(rows))
console.log(
  '\nA 10-minute operation on a simulated clock (requests take 50 ms), ' +
    'completing at any quarter second:\n'
)
console.log(
  table([
    [
      'polling',
      'requests for 10 min',
      'worst detection latency',
      'worst, done in the first 20 s',
      'worst after 20 s, as a share of the time waited'
    ],
    ...polling
  ])
)
