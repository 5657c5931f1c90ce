// The command line's flags: values, booleans, and one clear UsageError for
// each mistake, never echoing a credential.
import { describe, expect, it } from '@jest/globals'
import { CREDENTIAL_FLAGS, INPUT_FLAGS, UsageError, parseFlags } from '../../src/cli/flags.js'
import { errorOf } from '../helpers/input-error.js'
import { actionInputs } from '../helpers/run-action.js'

function usageErrorOf(args: string[]): string {
  return errorOf(() => parseFlags(args), UsageError)
}

describe('parseFlags', () => {
  it('reads text flags as the action inputs of the same name', () => {
    expect(
      parseFlags(['--tenant-id', 't', '--connection-id=contosohr', '--operation-url', 'https://x'])
    ).toEqual({
      inputs: { 'tenant-id': 't', 'connection-id': 'contosohr', 'operation-url': 'https://x' },
      json: false,
      help: false,
      version: false,
      given: ['tenant-id', 'connection-id', 'operation-url']
    })
  })

  it('takes --client-certificate-path: a path is no secret, and it is no action input', () => {
    expect(parseFlags(['--client-certificate-path', 'graph.pem'])).toEqual({
      inputs: {},
      certificatePath: 'graph.pem',
      json: false,
      help: false,
      version: false,
      given: ['client-certificate-path']
    })
    expect(() => parseFlags(['--client-certificate', 'x'])).toThrow(/is not accepted/)
  })

  it('keeps --output-file, --json, --help and --version out of the inputs', () => {
    const flags = parseFlags(['--output-file', 'out.env', '--json', '-h', '--version'])
    expect(flags).toEqual({
      inputs: {},
      outputFile: 'out.env',
      json: true,
      help: true,
      version: true,
      given: ['output-file', 'json', 'help', 'version']
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

  it('leaves out every flag not given, with no key for it', () => {
    expect(parseFlags(['--cloud', 'usgov'])).toStrictEqual({
      inputs: { cloud: 'usgov' },
      json: false,
      help: false,
      version: false,
      given: ['cloud']
    })
  })

  it('reads every input flag, text or boolean, as the input of the same name', () => {
    const names = INPUT_FLAGS.map(spec => spec.name)
    const args = names.flatMap(name => [`--${name}`, `${name} value`])
    expect(parseFlags(args).inputs).toStrictEqual(
      Object.fromEntries(names.map(name => [name, `${name} value`]))
    )
  })

  it('offers every input of the action as a flag, but the credentials', () => {
    expect(INPUT_FLAGS.map(spec => spec.name).sort()).toEqual(
      actionInputs()
        .filter(name => !(name in CREDENTIAL_FLAGS))
        .sort()
    )
  })

  it('ends the flags at a trailing --', () => {
    expect(parseFlags(['--json', '--'])).toStrictEqual({
      inputs: {},
      json: true,
      help: false,
      version: false,
      given: ['json']
    })
  })

  it('takes a lone dash as a value, as for stdin', () => {
    expect(parseFlags(['--schema-file', '-']).inputs).toStrictEqual({ 'schema-file': '-' })
  })

  it('takes a value starting with a dash only after =', () => {
    expect(parseFlags(['--connection-description=-draft-']).inputs).toEqual({
      'connection-description': '-draft-'
    })
  })
})

describe('usage errors', () => {
  it('are named UsageError, as a debug stack shows them', () => {
    expect(new UsageError('x').name).toBe('UsageError')
  })

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

  it.each([
    [['--operation-url', ''], 'operation-url', 'URL'],
    [['--connection-id=', '--validate-only'], 'connection-id', 'ID'],
    [['--output-file', ''], 'output-file', 'PATH']
  ])(
    'refuses the empty value of %j (an unset variable?) rather than read it as not given',
    (args, name, value) => {
      expect(usageErrorOf(args)).toBe(
        `--${name} is empty (an unset variable?): give it a value, such as --${name} ${value}, ` +
          'or leave the flag out. See --help.'
      )
    }
  )

  it.each([
    [['--timeout-seconds', '-1'], 'timeout-seconds', 'N'],
    [
      ['--connection-id', 'x', '--connection-description', '-draft-'],
      'connection-description',
      'TEXT'
    ]
  ])('reads %j as a value that needs =, not as an unknown flag', (args, name, value) => {
    expect(usageErrorOf(args)).toBe(
      `--${name} needs a value: --${name} ${value} (write --${name}=-x for a value that starts with '-'). See --help.`
    )
  })

  it('still names an unknown flag after a text flag given with =, or after a switch', () => {
    expect(usageErrorOf(['--timeout-seconds=60', '-1'])).toBe(
      'Unknown flag -1; see --help for the flags.'
    )
    expect(usageErrorOf(['--json', '-x'])).toBe('Unknown flag -x; see --help for the flags.')
    // A value that ends in a flag's name is not that flag.
    expect(usageErrorOf(['--connection-id', 'xxtenant-id', '-1'])).toBe(
      'Unknown flag -1; see --help for the flags.'
    )
  })

  it('says a switch takes no value', () => {
    expect(usageErrorOf(['--json=yes'])).toBe('--json takes no value; see --help.')
  })

  it.each([['--help=yes'], ['--version=1.2.3']])('says %s: a switch takes no value', arg => {
    const name = arg.slice(2, arg.indexOf('='))
    expect(usageErrorOf([arg])).toBe(`--${name} takes no value; see --help.`)
  })

  it.each([['-tenant-id', 'x'], ['-json'], ['-validate-only'], ['-help']])(
    'refuses a long flag given with one dash, %s, naming it',
    (...args) => {
      expect(usageErrorOf(args)).toBe(`Unknown flag ${args[0]}; see --help for the flags.`)
    }
  )

  const stray = (position: number) =>
    `An unexpected argument at position ${position} (not shown: it may be a secret): every ` +
    'value follows its flag, such as --connection-id contosohr. See --help.'

  it('refuses a stray argument by its position, never echoing it: it may be a secret', () => {
    expect(usageErrorOf(['contosohr'])).toBe(stray(1))
    expect(usageErrorOf(['--json', 'a\nb'])).toBe(stray(2))
    expect(usageErrorOf(['--', 'sim~Secret.Value'])).toBe(stray(2))
    expect(usageErrorOf(['--json', 'sim~Secret.Value'])).not.toContain('sim~')
  })

  it.each([
    [['-'], 1],
    [['validate-only'], 1],
    [['--json', '--', '--validate-only'], 3],
    [['--', '--fail-on-failure', 'false'], 2],
    [['--cloud', 'usgov', 'global', 'x'], 3],
    [['--validate-only', 'true', '--fail-on-failure', 'false', 'x'], 5]
  ])('refuses the stray arguments %j, naming the position of the first', (args, position) => {
    expect(usageErrorOf(args)).toBe(stray(position))
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
