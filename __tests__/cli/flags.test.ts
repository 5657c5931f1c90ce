// The command line's flags: values, booleans, and one clear UsageError for
// each mistake, never echoing a credential.
import { describe, expect, it } from '@jest/globals'
import { CREDENTIAL_FLAGS, FLAGS, UsageError, parseFlags } from '../../src/cli/flags.js'
import { helpText } from '../../src/cli/help.js'

function usageErrorOf(args: string[]): string {
  try {
    parseFlags(args)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error('expected a UsageError')
}

describe('parseFlags', () => {
  it('reads text flags as the action inputs of the same name', () => {
    expect(
      parseFlags(['--tenant-id', 't', '--connection-id=contosohr', '--operation-url', 'https://x'])
    ).toEqual({
      inputs: { 'tenant-id': 't', 'connection-id': 'contosohr', 'operation-url': 'https://x' },
      json: false,
      help: false,
      version: false
    })
  })

  it('keeps --output-file, --json, --help and --version out of the inputs', () => {
    const flags = parseFlags(['--output-file', 'out.env', '--json', '-h', '--version'])
    expect(flags).toEqual({
      inputs: {},
      outputFile: 'out.env',
      json: true,
      help: true,
      version: true
    })
  })

  it.each([
    [['--validate-only'], 'true'],
    [['--validate-only', '--json'], 'true'],
    [['--fail-on-failure', 'false'], 'false'],
    [['--fail-on-failure=false'], 'false'],
    [['--fail-on-failure', 'False', '--json'], 'False'],
    [['--fail-on-failure', 'yes'], 'yes']
  ])('takes %j as a boolean of %s, which readSettings then checks', (args, value) => {
    const name = args[0].replace(/^--|=.*$/g, '')
    expect(parseFlags(args).inputs[name]).toBe(value)
  })

  it('does not take the next flag as a boolean value', () => {
    expect(parseFlags(['--require-copilot-ready', '--validate-only']).inputs).toEqual({
      'require-copilot-ready': 'true',
      'validate-only': 'true'
    })
  })

  it('takes a value starting with a dash only after =', () => {
    expect(parseFlags(['--connection-description=-draft-']).inputs).toEqual({
      'connection-description': '-draft-'
    })
  })
})

describe('usage errors', () => {
  it('names an unknown flag and points to --help, in one line', () => {
    const message = usageErrorOf(['--connection-id', 'contosohr', '--tenant', 'x'])
    expect(message).toBe('Unknown flag --tenant; see --help for the flags.')
  })

  it('names an unknown flag given with a value, without the value', () => {
    expect(usageErrorOf(['--timeout=60'])).toBe('Unknown flag --timeout; see --help for the flags.')
  })

  it.each(Object.entries(CREDENTIAL_FLAGS))(
    'refuses --%s without echoing its value, pointing to %s',
    (flag, variable) => {
      for (const args of [
        [`--${flag}`, 'hunter2-secret-value'],
        [`--${flag}=hunter2-secret-value`]
      ]) {
        const message = usageErrorOf(['--connection-id', 'contosohr', ...args])
        expect(message).toContain(`--${flag} is not accepted`)
        expect(message).toContain(`Set ${variable} in the environment`)
        expect(message).not.toContain('hunter2')
      }
    }
  )

  it('refuses a credential flag however it is spelled', () => {
    expect(usageErrorOf(['--CLIENT_SECRET=abc'])).toContain('Set AZURE_CLIENT_SECRET')
    expect(usageErrorOf(['-client-secret', 'abc'])).toContain('Set AZURE_CLIENT_SECRET')
  })

  it('says a text flag needs a value, and how to give one that starts with a dash', () => {
    expect(usageErrorOf(['--tenant-id'])).toBe(
      "--tenant-id needs a value: --tenant-id ID (write --tenant-id=-x for a value that starts with '-'). See --help."
    )
    expect(usageErrorOf(['--connection-id', '--json'])).toMatch(/^--connection-id needs a value/)
  })

  it('says a switch takes no value', () => {
    expect(usageErrorOf(['--json=yes'])).toBe('--json takes no value; see --help.')
  })

  it('refuses a stray argument, quoting it inert', () => {
    expect(usageErrorOf(['contosohr'])).toBe(
      "Unexpected argument 'contosohr': every value follows its flag, such as --connection-id contosohr. See --help."
    )
    expect(usageErrorOf(['--json', 'a\nb'])).toContain("Unexpected argument 'a\\nb'")
    expect(usageErrorOf(['--', '--json'])).toContain("Unexpected argument '--json'")
  })

  it('refuses a flag given twice', () => {
    expect(usageErrorOf(['--timeout-seconds', '60', '--timeout-seconds=600'])).toBe(
      '--timeout-seconds is given twice: give it once. See --help.'
    )
  })

  it('makes an escape sequence in an unknown flag inert', () => {
    expect(usageErrorOf(['--\u001b[31mred'])).toBe(
      'Unknown flag --\\u001b[31mred; see --help for the flags.'
    )
  })
})

describe('help', () => {
  const help = helpText('1.2.3')

  it('lists every flag, the credential variables and the exit codes', () => {
    for (const spec of FLAGS) expect(help).toContain(`--${spec.name}`)
    for (const variable of new Set(Object.values(CREDENTIAL_FLAGS))) {
      expect(help).toContain(variable)
    }
    expect(help).toContain('AZURE_TENANT_ID')
    for (const code of ['0 ', '1 ', '2 ', '130 ']) expect(help).toContain(`\n  ${code}`)
    expect(help.split('\n')[0]).toBe('wait-for-graph-connector-operation 1.2.3')
  })

  it('fits an 80-column terminal', () => {
    const long = help.split('\n').filter(line => line.length > 80)
    expect(long).toEqual([])
  })
})
