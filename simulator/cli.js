// Runs the simulator until it is stopped, for the workflow self-test and for
// trying the action by hand:  node simulator/cli.js [--port 8080]
// It serves two operations on connection contosohr: 'completes' (inprogress,
// then completed) and 'fails' (failed with an error), and the connection itself.
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
console.log(`Simulator of Entra ID and Graph listening on ${sim.url}`)
console.log(`  tenant-id     ${DEFAULTS.tenantId}`)
console.log(`  client-id     ${DEFAULTS.clientId}`)
console.log(`  client-secret ${DEFAULTS.clientSecret} (the simulator's own, not a real secret)`)
console.log(`  connection-id ${DEFAULTS.connectionId}; operation-id completes or fails`)

const stop = () => sim.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
