// End-to-end: answers an attacker, Graph's own published metadata or a broken
// proxy could send, and what the action must make of them: text that stays
// text, bounded sizes and waits, and a clean end whatever the signals.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEFAULTS,
  Simulator,
  graphError,
  startSimulator,
  throttled
} from '../../simulator/simulator.js'
import { OPERATION_ID, actionOutputs, runAction, simulatorInputs } from '../helpers/run-action.js'
import type { ActionRun } from '../helpers/run-action.js'

let sim: Simulator

beforeEach(async () => {
  sim = await startSimulator()
})
afterEach(async () => {
  await sim.close()
})

const inputs = (overrides: Record<string, string> = {}) => simulatorInputs(sim.url, overrides)
const operation = (script: Parameters<Simulator['setOperation']>[2]) =>
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, script)

/** Lines the runner would read as workflow commands, other than the action's own kinds. */
function commandLines(run: ActionRun): string[] {
  return run.stdout
    .split('\n')
    .filter(line => /^\s*::/.test(line) || /##(vso)?\[/i.test(line))
    .filter(line => !/^::(add-mask|debug|group|endgroup|error|warning)(?: [^:]*)?::/.test(line))
}

describe('text from Graph never acts as a workflow command', () => {
  it.each([
    ['a line feed', 'inprogress\n::error title=Forged::forged annotation'],
    ['a bare carriage return', 'inprogress\r::error::forged annotation'],
    ['a command read anywhere in a line', 'inprogress ##[error]forged annotation']
  ])('in a status with %s', async (_name, status) => {
    operation({ statuses: [status, 'completed'] })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(commandLines(run)).toEqual([])
    // The one plain line that shows it, escaped; the debug and warning lines are commands
    // whose text the runner decodes, so they are checked by commandLines() above.
    const plain = run.stdout.split('\n').filter(line => !line.startsWith('::'))
    expect(plain.filter(line => line.includes('forged annotation'))).toEqual([
      expect.stringMatching(/^Status: inprogress(\\[rn]::error| #\\#\[error\])/)
    ])
    // The status is one the action does not know: one warning, itself escaped by the runner's rules.
    expect(run.warnings).toHaveLength(1)
  })

  it("in the operation's error message, which cannot stop the action's own annotation", async () => {
    operation({
      statuses: ['failed'],
      error: { code: 'E', message: 'Rejected.\n::stop-commands::pwned\n::error::forged' }
    })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(commandLines(run)).toEqual([])
    expect(run.stdout).not.toMatch(/^::stop-commands::/m)
    expect(run.errors).toEqual([
      `Operation '${OPERATION_ID}' of connection 'contosohr' failed: ` +
        'Rejected.\\n::stop-commands::pwned\\n::error::forged (code E)'
    ])
    // The output keeps Graph's text as it is.
    expect(run.outputs['error-message']).toBe('Rejected.\n::stop-commands::pwned\n::error::forged')
  })

  it('in the message of a Graph error that is retried', async () => {
    operation({ statuses: ['completed'] })
    sim.injectFaults('graph', graphError(503, 'Busy\n::error::a', 'Later.\n::error::b'))
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(commandLines(run)).toEqual([])
    expect(run.stdout).toMatch(
      /^Graph answered HTTP 503, code Busy\\n::error::a, .*: Later\.\\n::error::b; retry 1 in /m
    )
  })

  it('in an Entra error', async () => {
    sim.injectFaults('token', {
      status: 400,
      body: { error: 'invalid_request\n::error::a', error_description: 'AADSTS1: x\r::error::b' }
    })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toBe(
      'Sign-in to Microsoft Entra ID failed: AADSTS1: x\\r::error::b (HTTP 400, error invalid_request\\n::error::a).'
    )
  })
})

describe("Graph's Location header gets the operation-url rules", () => {
  let workspace = ''
  beforeEach(() => {
    workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
    copyFileSync(
      new URL('../fixtures/schema.json', import.meta.url),
      join(workspace, 'schema.json')
    )
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
  })
  afterEach(() => rmSync(workspace, { recursive: true, force: true }))

  /** Submits the schema file; Graph answers the PATCH with this Location. */
  async function submitWith(path: string): Promise<ActionRun> {
    sim.onRequest = request => {
      if (request.method !== 'PATCH') return
      const location = `${sim.url}/v1.0/external/connections/${path}`
      sim.injectFaults('graph', { status: 202, headers: { location }, body: '' })
    }
    return runAction(inputs({ 'operation-id': '', 'schema-file': 'schema.json' }), {
      env: { GITHUB_WORKSPACE: workspace }
    })
  }
  const operationReads = () => sim.requestsTo('graph').filter(r => r.path.includes('/operations/'))

  it.each([
    [
      'in the connection ID',
      'contosohr%0A::error::X/operations/op1%0A::warning::Y',
      'names the connection'
    ],
    ['in the operation ID', 'contosohr/operations/op1%0A::warning::Y', 'has an operation ID'],
    ['as an escape sequence', 'contosohr/operations/op1%1B[2K%0D::error::X', 'has an operation ID'],
    [
      'through a line separator',
      'contosohr/operations/op1%E2%80%A8::error::X',
      'has an operation ID'
    ],
    ['read anywhere in a line', 'contosohr/operations/op1%20%23%23[error]X', 'has an operation ID']
  ])('refuses a workflow command %s, shown inert, and follows nothing', async (_n, path, why) => {
    const run = await submitWith(path)

    expect(run.code).toBe(1)
    expect(commandLines(run)).toEqual([])
    expect(run.stdout).not.toMatch(/^::(error|warning)::[XY]/m)
    expect(run.warnings).toEqual([])
    expect(run.errors).toEqual([expect.stringContaining(`Graph's Location header ${why}`)])
    // eslint-disable-next-line no-control-regex
    expect(run.errors[0]).not.toMatch(/[\r\n\u001b\u2028]|##\[/)
    expect(operationReads()).toEqual([])
  })

  it("refuses another connection's operation rather than report its outcome", async () => {
    sim.setOperation('victimconn', 'op1', { statuses: ['completed'] })
    const run = await submitWith('victimconn/operations/op1')

    expect(run.code).toBe(1)
    expect(run.outputs.status).not.toBe('completed')
    expect(run.errors).toEqual([
      "Graph's Location header names the connection 'victimconn', not 'contosohr' whose schema " +
        `was submitted: '${sim.url}/v1.0/external/connections/victimconn/operations/op1'. ` +
        'The action does not follow it.'
    ])
    expect(operationReads()).toEqual([])
  })
})

describe('files: regular, bounded, and inside the workspace', () => {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-files-'))
    execFileSync('mkdir', [join(dir, 'workspace')])
    writeFileSync(join(dir, 'secret.json'), '{"baseType":"SECRET-VALUE","properties":[]}')
    execFileSync('mkfifo', [join(dir, 'workspace', 'fifo.json')])
    symlinkSync('/dev/zero', join(dir, 'workspace', 'zero.json'))
    symlinkSync(join(dir, 'secret.json'), join(dir, 'workspace', 'link.json'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const check = (file: string) =>
    runAction(
      { 'connection-id': 'contosohr', 'schema-file': file, 'validate-only': 'true' },
      { env: { GITHUB_WORKSPACE: join(dir, 'workspace') }, killAfterMs: 5_000 }
    )

  it.each([
    ['a FIFO', 'fifo.json', "'fifo.json' is a FIFO (named pipe), not a regular file. "],
    [
      'a committed symlink to /dev/zero',
      'zero.json',
      "'zero.json' is outside the workspace (it resolves to '/dev/zero'), so it is not read. "
    ]
  ])('refuses %s in under a second, with every output set', async (_name, file, why) => {
    const run = await check(file)

    expect(run.signal).toBeNull()
    expect(run.code).toBe(1)
    // By the step's own clock, which a busy machine's process start-up does not move.
    expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(1)
    expect(run.errors).toEqual([
      `Input 'schema-file': ${why}It must be the path of a JSON file, relative to the workspace ` +
        '(GITHUB_WORKSPACE), such as connector/schema.json.'
    ])
  })

  it.each([
    ['through ../', () => '../secret.json'],
    ['by an absolute path', () => join(dir, 'secret.json')],
    ['through a symlink', () => 'link.json']
  ])(
    'refuses a schema file outside the workspace %s, and shows nothing of it',
    async (_n, file) => {
      const run = await check(file())

      expect(run.code).toBe(1)
      expect(run.errors).toEqual([
        expect.stringContaining(
          `is outside the workspace (it resolves to '${join(dir, 'secret.json')}'), so it is not read.`
        )
      ])
      expect(run.stdout).not.toContain('SECRET-VALUE')
    }
  )
})

describe('text from Graph never renders as Markdown in the job summary', () => {
  it('keeps a message with blank lines, headings, links and images as text', async () => {
    operation({
      statuses: ['failed'],
      error: {
        message: 'Bad.\n\n# Owned\n\n![x](https://evil.example/x.png) [y](https://evil.example)'
      }
    })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    for (const line of run.summary.split('\n').filter(Boolean))
      expect(line).toMatch(/^<\/?[a-z0-9]+[ >]/)
    expect(run.summary).toContain('Bad.<br><br># Owned<br><br>![x](https://evil.example/x.png)')
  })
})

describe('sizes are bounded', () => {
  it('stops reading a runaway answer and fails clearly, with every output set', async () => {
    sim.injectFaults('graph', { status: 200, body: `{"status":"${'x'.repeat(3 * 1024 * 1024)}"}` })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^The answer from http:\/\/127\.0\.0\.1:\d+\/v1\.0\/.* is larger than 1 MiB; /
      )
    ])
    expect(run.stdout + run.stderr).not.toContain('ERR_STRING_TOO_LONG')
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
    expect(Object.keys(run.outputs).sort()).toEqual(actionOutputs().sort())
  })

  it('refuses a poll answer nested 100,000 levels deep, keeping the status seen before', async () => {
    operation({ statuses: ['inprogress'] })
    const deep = `{"status":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    sim.onRequest = request => {
      if (request.service === 'graph' && sim.requestsTo('graph').length === 2) {
        sim.injectFaults('graph', { status: 200, body: deep })
      }
    }
    const run = await runAction(inputs(), { env: { RUNNER_DEBUG: '1' } })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^The answer from http:\/\/127\.0\.0\.1:\d+\/v1\.0\/.* is JSON nested more than 64 levels deep; /
      )
    ])
    expect(run.stdout + run.stderr).not.toContain('Maximum call stack')
    expect(run.outputs.status).toBe('inprogress')
    expect(run.outputs['error-code']).toBe('AnswerTooDeep')
    expect(Object.keys(run.outputs).sort()).toEqual(actionOutputs().sort())
  })

  // A 5 MB message cannot arrive at all (an answer may have 1 MiB): this one is 900 KB.
  it('cuts a huge error message in the annotation, the outputs and the summary', async () => {
    operation({ statuses: ['failed'], error: { code: 'Big', message: 'y'.repeat(900_000) } })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0].length).toBeLessThan(5_000)
    expect(run.errors[0]).toMatch(/more characters cut\]/)
    expect(run.outputs['error-message'].length).toBeLessThan(10_000)
    expect(run.outputs['error-message']).toMatch(/… \[\d+ more characters cut\]$/)
    expect(JSON.parse(run.outputs.operation)).toMatchObject({ id: OPERATION_ID, status: 'failed' })
    expect(run.outputs.operation.length).toBeLessThan(70_000)
    expect(Buffer.byteLength(run.summary)).toBeLessThan(20_000)
    expect(run.summary).toMatch(/more characters cut\]/)
  })

  it('warns about at most three unknown statuses, then once for the rest', async () => {
    operation({ statuses: ['s1', 's2', 's3', 's4', 's5', 's6', 'completed'] })
    const run = await runAction(inputs({ 'poll-interval-seconds': '0.1' }))

    expect(run.code).toBe(0)
    expect(run.warnings).toHaveLength(4)
    expect(run.warnings[3]).toBe('… and 3 more statuses the action does not know: s4, s5, s6.')
  })
})

describe('waits are bounded', () => {
  // One spelling end to end; '0', '0.0001' and a date in the past are each in
  // __tests__/engine/retry.test.ts (delayBefore).
  it.each(['0'])('never retries at once, even after Retry-After: %s', async retryAfter => {
    operation({ statuses: ['completed'] })
    sim.injectFaults(
      'graph',
      ...Array.from({ length: 3 }, () => throttled(retryAfter, 'Slow down.'))
    )
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    const times = sim.requestsTo('graph').map(r => r.at)
    expect(times).toHaveLength(4)
    // Backoff: at least 0.25 s, then 0.5 s, then 1 s.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(240)
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(490)
    expect(times[3] - times[2]).toBeGreaterThanOrEqual(990)
  })
})

describe('whatever Graph answers, at most 2 requests to it in any one second', () => {
  /** The most requests that arrived within any one second, by the simulator's log. */
  const busiestSecond = (times: number[]) =>
    Math.max(...times.map(t => times.filter(u => u >= t && u < t + 1_000).length))
  const graphTimes = () => sim.requestsTo('graph').map(r => r.at)

  it('a 401 on every other request: one new sign-in, then a failure, never a loop', async () => {
    operation({ statuses: ['inprogress'] })
    sim.onRequest = request => {
      if (request.service === 'graph' && sim.requestsTo('graph').length % 2 === 1) {
        sim.injectFaults(
          'graph',
          graphError(401, 'InvalidAuthenticationToken', 'Access token has expired.')
        )
      }
    }
    const run = await runAction(inputs({ 'poll-interval-seconds': '1', 'timeout-seconds': '10' }))

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Graph rejected the access token again \(HTTP 401, code InvalidAuthenticationToken, request-id [^)]+\): Access token has expired\. The action signed in again after Graph's first 401, /
      )
    ])
    expect(run.outputs['error-code']).toBe('InvalidAuthenticationToken')
    expect(sim.requestsTo('token')).toHaveLength(2)
    expect(sim.requestsTo('graph').map(r => r.status)).toEqual([401, 200, 401])
    expect(busiestSecond(graphTimes())).toBeLessThanOrEqual(2)
  })

  it('503s with Retry-After: 0, then an answer', async () => {
    operation({ statuses: ['completed'] })
    sim.injectFaults('graph', ...Array.from({ length: 4 }, () => throttled('0', 'Slow down.')))
    const run = await runAction(inputs({ 'poll-interval-seconds': '1' }))

    expect(run.code).toBe(0)
    expect(graphTimes()).toHaveLength(5)
    expect(busiestSecond(graphTimes())).toBeLessThanOrEqual(2)
  })
})

describe("Graph's metadata: every property is nullable, and enums evolve", () => {
  it('keeps waiting through a null status, warning once, then completes', async () => {
    operation({ statuses: [null, null, 'completed'] })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('completed')
    expect(run.warnings).toEqual([
      "Graph's answer has no status yet (it is null or missing); the action keeps waiting. If it stays so, check graph-url."
    ])
    expect(run.stdout).toContain('Status: none (poll 1,')
  })

  it('asks for enum members added later, so a new status arrives by its name', async () => {
    operation({ statuses: ['queued', 'completed'] })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(sim.requestsTo('graph')[0].headers.prefer).toBe('include-unknown-enum-members')
    expect(run.warnings).toEqual([expect.stringContaining("the status 'queued'")])
  })

  it("builds the error message from Graph's details when the message is empty", async () => {
    operation({
      statuses: ['failed'],
      error: {
        code: 'InvalidSchema',
        message: '',
        details: [
          {
            code: 'NotRetrievable',
            message: 'A labelled property must be retrievable.',
            target: 'title'
          }
        ]
      }
    })
    const run = await runAction(inputs())

    expect(run.errors).toEqual([
      `Operation '${OPERATION_ID}' of connection 'contosohr' failed: ` +
        'title: A labelled property must be retrievable. (NotRetrievable) (code InvalidSchema)'
    ])
    expect(run.outputs['error-message']).toBe(
      'title: A labelled property must be retrievable. (NotRetrievable)'
    )
  })
})

describe('signals', () => {
  it('ends cleanly when the runner sends SIGINT twice, then SIGTERM', async () => {
    operation({ statuses: ['inprogress'] })
    let pid = 0
    sim.onRequest = request => {
      if (request.service !== 'graph') return
      setTimeout(() => {
        process.kill(pid, 'SIGINT')
        setTimeout(() => process.kill(pid, 'SIGINT'), 3)
        setTimeout(() => process.kill(pid, 'SIGTERM'), 6)
      }, 200)
    }
    const run = await runAction(inputs({ 'poll-interval-seconds': '5' }), {
      onSpawn: p => (pid = p)
    })

    expect(run.signal).toBeNull()
    expect(run.code).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(/^Cancelled after \d+\.\d s /)])
    expect(run.outputs.status).toBe('inprogress')
    expect(run.outputs['error-code']).toBe('Cancelled')
    expect(run.outputs['error-message']).toBe(run.errors[0])
    expect(run.summary).toMatch(
      /<h3>❌ contosohr: cancelled after \d+\.\d s; the operation goes on in Graph<\/h3>/
    )
  })
})

describe('secrets come before validation', () => {
  it('masks a secret that Graph places across the cut of its message, not only whole', async () => {
    const said = `${'x'.repeat(990)}${DEFAULTS.clientSecret}${'y'.repeat(50)}`
    sim.injectFaults('graph', graphError(400, 'BadRequest', said))
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/x{990}\*\*\*y*… \[\d+ more characters cut\]/)
    const lines = run.stdout.split('\n').filter(line => !line.startsWith('::add-mask::'))
    expect(lines.filter(line => line.includes(DEFAULTS.clientSecret.slice(0, 5)))).toEqual([])
  })

  it('masks a secret pasted into another input before the error that echoes it', async () => {
    const run = await runAction(inputs({ 'tenant-id': DEFAULTS.clientSecret }))

    expect(run.code).toBe(1)
    const lines = run.stdout.split('\n')
    const mask = lines.indexOf(`::add-mask::${DEFAULTS.clientSecret}`)
    const error = lines.findIndex(line => line.startsWith('::error::'))
    expect(mask).toBe(0)
    expect(error).toBeGreaterThan(mask)
    expect(sim.requests).toHaveLength(0)
  })
})
