// Runs the simulator until it is stopped, for the workflow self-test and for
// trying the action by hand:  node simulator/cli.js [--port 8080]
// It serves two operations on connection contosohr: 'completes' (inprogress,
// then completed) and 'fails' (failed with an error), and the connection itself,
// ready and with a schema. For the schema flow by hand: PATCH its schema (the
// Location answered is an operation that completes on its second GET), or POST
// a new connection such as fabrikamhr, which does not exist yet.
import { DEFAULTS, startSimulator } from './simulator.js'

const portFlag = process.argv.indexOf('--port')
const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 8080
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error('usage: node simulator/cli.js [--port 0-65535]')
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
const connections = `${sim.url}/v1.0/external/connections`
console.log(`Simulator of Entra ID and Graph listening on ${sim.url}`)
console.log(`  tenant-id     ${DEFAULTS.tenantId}`)
console.log(`  client-id     ${DEFAULTS.clientId}`)
console.log(`  client-secret ${DEFAULTS.clientSecret} (the simulator's own, not a real secret)`)
console.log(`  connection-id ${DEFAULTS.connectionId}; operation-id completes or fails`)
console.log(`  schema        GET or PATCH ${connections}/${DEFAULTS.connectionId}/schema`)
console.log(`  create        POST ${connections} {"id":"fabrikamhr","name":"Fabrikam HR"}`)

const stop = () => sim.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
