// Which platform the command finds itself on, and the Output each makes: the
// table main() and the help both read.
import { describe, expect, it } from '@jest/globals'
import { helpText } from '../../src/cli/help.js'
import { DEBUG_SWITCHES, PLATFORMS, debugOn, platformOf } from '../../src/cli/platforms.js'
import type { Platform } from '../../src/cli/platforms.js'
import { Redactor } from '../../src/cli/redact.js'

function streams(isTTY = false) {
  const written = { stdout: '', stderr: '' }
  return {
    written,
    streams: {
      stdout: { write: (text: string) => (written.stdout += text) },
      stderr: { write: (text: string) => (written.stderr += text), isTTY }
    }
  }
}

function make(env: Record<string, string>) {
  const { written, streams: s } = streams()
  const out = platformOf(env).make({ streams: s, redactor: new Redactor(), env, now: () => 0 })
  return { out, written }
}

describe('platformOf', () => {
  it('finds Azure Pipelines by TF_BUILD', () => {
    expect(platformOf({ TF_BUILD: 'True' }).name).toBe('Azure Pipelines')
  })

  it('falls back to plain lines anywhere else, GitLab CI and GitHub Actions included', () => {
    for (const env of [{}, { GITLAB_CI: 'true' }, { GITHUB_ACTIONS: 'true' }, { TF_BUILD: '' }]) {
      expect(platformOf(env)).toBe(PLATFORMS.at(-1))
    }
    expect(PLATFORMS.at(-1)?.name).toBe('a shell, GitLab CI or any other')
  })

  it('takes the first row that applies, and says so when none does', () => {
    const row = (name: string, applies: boolean): Platform => ({
      ...PLATFORMS[0],
      name,
      detect: () => applies
    })
    expect(platformOf({}, [row('a', false), row('b', true), row('c', true)]).name).toBe('b')
    expect(() => platformOf({}, [row('a', false)])).toThrow('No platform applies')
  })
})

describe('the Output each platform makes', () => {
  it('Azure Pipelines: logging commands, on stdout only', () => {
    const { out, written } = make({ TF_BUILD: 'True' })
    out.log.warning('Careful.')
    out.close()
    expect(written.stdout).toBe('##vso[task.logissue type=warning]Careful.\n')
    expect(written.stderr).toBe('')
  })

  it('elsewhere: plain lines on stderr, debug lines only with a debug switch', () => {
    const plain = make({})
    plain.out.log.info('Polling.')
    plain.out.log.debug('Poll 1.')
    plain.out.close()
    expect(plain.written.stderr).toBe('Polling.\n')
    expect(plain.written.stdout).toBe('')

    const debug = make({ CI_DEBUG_TRACE: 'true' })
    debug.out.log.debug('Poll 1.')
    debug.out.close()
    expect(debug.written.stderr).toBe('Debug: Poll 1.\n')
  })
})

describe('debugOn', () => {
  it.each(DEBUG_SWITCHES.map(({ variable, value }) => [variable, value]))(
    'is on with %s=%s, and only with that value',
    (variable, value) => {
      expect(debugOn({ [variable]: value })).toBe(true)
      expect(debugOn({ [variable]: `${value}x` })).toBe(false)
    }
  )

  it("is on with GitHub's RUNNER_DEBUG=1 or GitLab's CI_DEBUG_TRACE=true", () => {
    expect(debugOn({ RUNNER_DEBUG: '1' })).toBe(true)
    expect(debugOn({ CI_DEBUG_TRACE: 'true' })).toBe(true)
    expect(debugOn({ RUNNER_DEBUG: 'true', CI_DEBUG_TRACE: '1' })).toBe(false)
  })

  it('is off with no switch set', () => {
    expect(debugOn({})).toBe(false)
  })
})

describe('the live status line', () => {
  it.each([
    [true, true],
    [false, false],
    [undefined, false]
  ])('is drawn when stderr.isTTY is %p: %p', async (isTTY, drawn) => {
    const { written, streams: s } = streams(isTTY as boolean)
    s.stderr.isTTY = isTTY as boolean
    const env = {}
    const out = platformOf(env).make({ streams: s, redactor: new Redactor(), env, now: () => 0 })
    await out.group('Waiting', async () =>
      out.progress({ kind: 'poll', status: 'inprogress', polls: 1, elapsedMs: 0 })
    )
    out.close()
    expect(written.stderr.includes('… inprogress')).toBe(drawn)
  })
})

describe('the help', () => {
  const help = helpText('1.2.3').replace(/\n/g, ' ')

  it("names each platform's variable and what its lines are, and each debug switch", () => {
    for (const platform of PLATFORMS.filter(row => row.variable)) {
      expect(help).toContain(`With ${platform.variable} set (${platform.name}) ${platform.help}`)
    }
    for (const { variable, value } of DEBUG_SWITCHES) expect(help).toContain(`${variable}=${value}`)
  })

  it('says so in these words', () => {
    expect(help).toContain(
      'With TF_BUILD set (Azure Pipelines) everything goes to stdout: warnings and errors as ' +
        '##vso[task.logissue], the outputs as output variables. RUNNER_DEBUG=1 or ' +
        'CI_DEBUG_TRACE=true shows debug lines.'
    )
  })
})
