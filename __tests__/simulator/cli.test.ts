// The simulator as people run it by hand: node simulator/cli.js prints its
// usage on --help instead of starting, refuses what it does not know, and with
// --log prints each request it answers, so a re-run that sends no PATCH shows.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { DEFAULTS } from '../../simulator/simulator.js'

const CLI = join(import.meta.dirname, '..', '..', 'simulator', 'cli.js')
const run = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 10_000 })

let child: ChildProcess | undefined
afterEach(() => {
  child?.kill('SIGTERM')
  child = undefined
})

/** Starts it on a free port and resolves with its URL and what it has printed so far. */
async function start(...args: string[]): Promise<{ url: string; output: () => string }> {
  const started = spawn(process.execPath, [CLI, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child = started
  let output = ''
  started.stdout.on('data', chunk => (output += chunk))
  started.stderr.on('data', chunk => (output += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in: ${output}`)), 10_000)
    started.stdout.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
  })
  return { url, output: () => output }
}

/** Waits until the output holds the text, or fails after 5 s. */
async function waitFor(output: () => string, text: string): Promise<void> {
  const end = Date.now() + 5_000
  while (!output().includes(text)) {
    if (Date.now() > end) throw new Error(`'${text}' never came; output:\n${output()}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('node simulator/cli.js', () => {
  it.each(['--help', '-h'])('prints its usage on %s and exits, starting nothing', flag => {
    const result = run(flag)

    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(
      /^usage: node simulator\/cli\.js \[--port N\] \[--log\] \[--help\]\n/
    )
    expect(result.stdout).toContain('--log ')
    expect(result.stdout).toContain(DEFAULTS.clientSecret)
    expect(result.stdout).toContain('AADSTS700211')
    expect(result.stdout).not.toContain('listening on')
  })

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--port', '70000'], "--port must be a whole number from 0 to 65535; got '70000'."],
    [['--port', 'x'], "--port must be a whole number from 0 to 65535; got 'x'."],
    [['stray'], "Unexpected argument 'stray'"]
  ])('refuses %p with exit code 2, saying why', (args, message) => {
    const result = run(...args)

    expect(result.status).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).toContain('usage: node simulator/cli.js')
    expect(result.stdout).toBe('')
  })

  it('logs each request with --log: time, method, path without its query, status', async () => {
    const sim = await start('--log')
    const tokenPath = `/${DEFAULTS.tenantId}/oauth2/v2.0/token`
    const answer = await fetch(`${sim.url}${tokenPath}?x=1`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEFAULTS.clientId,
        client_secret: DEFAULTS.clientSecret,
        scope: 'https://graph.microsoft.com/.default'
      })
    })
    const { access_token: token } = (await answer.json()) as { access_token: string }
    const connection = `/v1.0/external/connections/${DEFAULTS.connectionId}`
    await fetch(`${sim.url}${connection}`, { headers: { authorization: `Bearer ${token}` } })
    await fetch(`${sim.url}${connection}/operations/missing`, {
      headers: { authorization: `Bearer ${token}` }
    })

    await waitFor(sim.output, `/operations/missing 404`)
    const lines = sim
      .output()
      .split('\n')
      .filter(line => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
    expect(lines.map(line => line.slice(13))).toEqual([
      `POST ${tokenPath} 200`,
      `GET ${connection} 200`,
      `GET ${connection}/operations/missing 404`
    ])
    expect(sim.output()).not.toContain(token)
  })

  it('logs a connection PATCH (204) and DELETE (202) with --log, and a GET after it (404)', async () => {
    const sim = await start('--log')
    const answer = await fetch(`${sim.url}/${DEFAULTS.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEFAULTS.clientId,
        client_secret: DEFAULTS.clientSecret,
        scope: 'https://graph.microsoft.com/.default'
      })
    })
    const { access_token: token } = (await answer.json()) as { access_token: string }
    const connection = `/v1.0/external/connections/${DEFAULTS.connectionId}`
    const authorization = `Bearer ${token}`
    await fetch(`${sim.url}${connection}`, {
      method: 'PATCH',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Changed by hand' })
    })
    await fetch(`${sim.url}${connection}`, { method: 'DELETE', headers: { authorization } })
    await fetch(`${sim.url}${connection}`, { headers: { authorization } })

    await waitFor(sim.output, `GET ${connection} 404`)
    const lines = sim
      .output()
      .split('\n')
      .filter(line => /^\d\d:\d\d:\d\d\.\d{3} (PATCH|DELETE|GET) /.test(line))
    expect(lines.map(line => line.slice(13))).toEqual([
      `PATCH ${connection} 204`,
      `DELETE ${connection} 202`,
      `GET ${connection} 404`
    ])
  })

  it('logs nothing per request without --log', async () => {
    const sim = await start()
    const response = await fetch(`${sim.url}/v1.0/external/connections/${DEFAULTS.connectionId}`)
    expect(response.status).toBe(401)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(sim.output()).not.toMatch(/^\d\d:\d\d:\d\d\.\d{3} /m)
    expect(sim.output()).not.toContain('/v1.0/external/connections/contosohr 401')
  })
})
