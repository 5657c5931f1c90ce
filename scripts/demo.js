// `npm run demo`: runs the bundled action against the built-in simulator, the
// way the Actions runner would, for the whole deployment step: the schema file
// (examples/connector/schema.json) checked, the connection created, the schema
// submitted, and its operation waited on until completed. Needs nothing beyond
// `npm ci`: no tenant, no network.
// `npm run demo -- --connector`: the same for the connector file
// (examples/connector/connector.json), deployed, then run again: nothing written.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { DEFAULTS, startSimulator } from '../simulator/simulator.js'

const sim = await startSimulator()
// The connection does not exist yet; the schema operation Graph starts is
// pending for about 6 s, then done: the action polls every 2 s.
sim.schemaOperation = { statuses: ['inprogress', 'inprogress', 'inprogress', 'completed'] }
console.log(`Simulator of Entra ID and Graph listening on ${sim.url}\n`)

const dir = mkdtempSync(join(tmpdir(), 'demo-'))
const outputFile = join(dir, 'output')
writeFileSync(outputFile, '')
// The workspace, as actions/checkout leaves it.
cpSync(join(import.meta.dirname, '..', 'examples', 'connector'), join(dir, 'connector'), {
  recursive: true
})
const connectorMode = process.argv.includes('--connector')
const inputs = {
  'tenant-id': DEFAULTS.tenantDomain,
  'client-id': DEFAULTS.clientId,
  'client-secret': DEFAULTS.clientSecret,
  ...(connectorMode
    ? { 'connector-file': 'connector/connector.json' }
    : {
        'connection-id': DEFAULTS.connectionId,
        'connection-name': 'Contoso HR',
        'schema-file': 'connector/schema.json'
      }),
  'poll-interval-seconds': '2',
  'timeout-seconds': '60',
  'graph-url': sim.url,
  'authority-url': sim.url
}
/** @type {Record<string, string>} */
const env = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: outputFile, GITHUB_WORKSPACE: dir }
for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value

/** Runs the bundled action once, showing its log as the runner would; its exit code. */
async function runAction() {
  const action = join(import.meta.dirname, '..', 'dist', 'index.js')
  const child = spawn(process.execPath, [action], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  // Workflow commands consumed, annotations labelled.
  createInterface({ input: child.stdout }).on('line', line => {
    const command = /^::([\w-]+)(?: [^:]*)?::(.*)$/.exec(line)
    if (!command) console.log(`  ${line}`)
    else if (command[1] === 'group') console.log(`▾ ${command[2]}`)
    else if (command[1] === 'error' || command[1] === 'warning') {
      console.log(`  ${command[1] === 'error' ? 'Error' : 'Warning'}: ${command[2]}`)
    }
  })
  return new Promise(resolve => child.on('close', resolve))
}
let code = await runAction()
if (connectorMode && code === 0) {
  console.log('\nThe same connector file again: Graph has it, so nothing is written.\n')
  writeFileSync(outputFile, '')
  code = await runAction()
}

console.log('\nOutputs:')
const outputs = readFileSync(outputFile, 'utf8').split('\n')
for (let i = 0; i < outputs.length; i++) {
  const start = /^([^<]+)<<(.+)$/.exec(outputs[i])
  if (start) console.log(`  ${start[1]} = ${outputs[++i] === start[2] ? '' : outputs[i]}`)
}
console.log(
  `\nRequests the simulator saw: ${sim.requestsTo('token').length} token, ` +
    `${sim.requestsTo('graph').length} Graph (` +
    [
      ...new Set(
        sim
          .requestsTo('graph')
          .map(r => `${r.method} ${r.path.replace(/^\/v1\.0\/external\/connections/, '…')}`)
      )
    ].join(', ') +
    `). Exit code: ${code}`
)
rmSync(dir, { recursive: true, force: true })
await sim.close()
process.exitCode = Number(code)
