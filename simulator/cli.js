// Runs the simulator until it is stopped, for the workflow self-test and for
// trying the action or the command line by hand. `--help` prints what it serves.
import { parseArgs } from 'node:util'
import { DEFAULTS, startSimulator } from './simulator.js'
import { GRAPH_SCOPE } from './entra.js'

const USAGE = `usage: node simulator/cli.js [--port N] [--log] [--help]

A local simulator of Microsoft Entra ID's token endpoint and Microsoft Graph's
external connections, on http://127.0.0.1, to try the action or the command
line with no tenant. Point graph-url and authority-url (--graph-url,
--authority-url) at the URL it prints.

  --port N   the port to listen on, 0 to 65535 (default 8080; 0 picks a free one)
  --log      print each request as it is answered: time, method, path, status
             (watch a re-run with an unchanged schema send no PATCH)
  --help     print this and exit

It serves:
  the app       tenant-id ${DEFAULTS.tenantId} (or ${DEFAULTS.tenantDomain})
                client-id ${DEFAULTS.clientId}
                client-secret ${DEFAULTS.clientSecret} (the simulator's own)
                scope: its own URL + /.default, or ${GRAPH_SCOPE}
  connection    ${DEFAULTS.connectionId}: ready, with a schema; GET, PATCH (204) or DELETE (202) it,
                GET or PATCH its schema (the Location answered is an operation that
                completes on its second GET)
  operations    'completes' (inprogress, then completed) and 'fails' (failed, with an error)
  create        POST /v1.0/external/connections {"id":"fabrikamhr","name":"Fabrikam HR"}

A federated token from an issuer the app has no federated credential for (GitLab,
Azure DevOps) is refused with Entra's AADSTS700211, as the real Entra refuses it.
Stop it with Ctrl-C.`

/** @type {{ values: { port?: string, log?: boolean, help?: boolean } }} */
let parsed
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string' },
      log: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' }
    },
    strict: true,
    allowPositionals: false
  })
} catch (error) {
  console.error(`${error instanceof Error ? error.message : error}\n${USAGE.split('\n')[0]}`)
  process.exit(2)
}
const { values } = parsed
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const port = values.port === undefined ? 8080 : Number(values.port)
if (values.port?.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `--port must be a whole number from 0 to 65535; got '${values.port}'.\n${USAGE.split('\n')[0]}`
  )
  process.exit(2)
}

const sim = await startSimulator({ port })
sim.setOperation(DEFAULTS.connectionId, 'completes', { statuses: ['inprogress', 'completed'] })
sim.setOperation(DEFAULTS.connectionId, 'fails', {
  statuses: ['inprogress', 'failed'],
  error: { code: 'InvalidSchema', message: 'The simulated schema was rejected.' }
})
sim.setSchema(DEFAULTS.connectionId, {
  baseType: 'microsoft.graph.externalItem',
  properties: [
    {
      name: 'ticketTitle',
      type: 'string',
      isSearchable: true,
      isRetrievable: true,
      labels: ['title']
    },
    { name: 'priority', type: 'string', isQueryable: true, isRetrievable: true }
  ]
})
if (values.log) {
  // The path without its query: the ID-token request carries its audience there, nothing secret,
  // but a log line has no need for it.
  sim.onResponse = request => {
    const time = new Date(request.at).toISOString().slice(11, 23)
    console.log(`${time} ${request.method} ${request.path.split('?')[0]} ${request.status}`)
  }
}
const connections = `${sim.url}/v1.0/external/connections`
console.log(`Simulator of Entra ID and Graph listening on ${sim.url}`)
console.log(`  tenant-id     ${DEFAULTS.tenantId}`)
console.log(`  client-id     ${DEFAULTS.clientId}`)
console.log(`  client-secret ${DEFAULTS.clientSecret} (the simulator's own, not a real secret)`)
console.log(`  connection-id ${DEFAULTS.connectionId}; operation-id completes or fails`)
console.log(`  schema        GET or PATCH ${connections}/${DEFAULTS.connectionId}/schema`)
console.log(`  create        POST ${connections} {"id":"fabrikamhr","name":"Fabrikam HR"}`)
if (values.log) console.log('Requests, as they are answered (time, method, path, status):')

const stop = () => sim.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
