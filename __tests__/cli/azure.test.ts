// Azure Pipelines: logging commands escaped as the agent reads them, outside
// text made inert, secrets masked, and everything on stdout.
import { describe, expect, it } from '@jest/globals'
import { azureOutput, escapeData, escapeProperty, loggingCommand } from '../../src/cli/azure.js'
import { Redactor } from '../../src/cli/redact.js'
import { outputsOf } from '../../src/engine/verdict.js'

function azure() {
  const lines: string[] = []
  const redactor = new Redactor()
  const stdout = { write: (text: string) => lines.push(...text.split('\n').slice(0, -1)) }
  return { lines, redactor, out: azureOutput({ stdout }, redactor) }
}

describe('escapes', () => {
  it('escapes a message: %, CR and LF, % first', () => {
    expect(escapeData('100% done\r\nnext %0A')).toBe('100%AZP25 done%0D%0Anext %AZP250A')
    expect(escapeData('a;b]c')).toBe('a;b]c')
  })

  it('escapes a property value: also ] and ;', () => {
    expect(escapeProperty('dir;x]/file%.json\n')).toBe('dir%3Bx%5D/file%AZP25.json%0A')
  })

  it('writes properties in order, leaving out empty ones', () => {
    expect(
      loggingCommand(
        'task.logissue',
        { type: 'error', sourcepath: 'a;b.json', linenumber: 3, columnnumber: undefined },
        'bad ] value'
      )
    ).toBe('##vso[task.logissue type=error;sourcepath=a%3Bb.json;linenumber=3]bad ] value')
    expect(loggingCommand('task.debug', {}, 'x')).toBe('##vso[task.debug]x')
    expect(loggingCommand('task.logissue', { type: 'warning', sourcepath: '' }, 'x')).toBe(
      '##vso[task.logissue type=warning]x'
    )
  })
})

describe('azureOutput', () => {
  it('writes warnings and errors as logissue, info as plain lines, debug as task.debug', () => {
    const { lines, out } = azure()
    out.log.info('Status: inprogress (poll 1, 0.0 s)')
    out.log.warning('50% of the way')
    out.log.debug('Poll 1 at 0.0 s: {}')
    out.end('fail', 'Operation failed: Graph said no.')
    expect(lines).toEqual([
      'Status: inprogress (poll 1, 0.0 s)',
      '##vso[task.logissue type=warning]50%AZP25 of the way',
      '##vso[task.debug]Poll 1 at 0.0 s: {}',
      '##vso[task.logissue type=error]Operation failed: Graph said no.'
    ])
  })

  it('writes a passing verdict, or one whose errors are already written, as a plain line', () => {
    const { lines, out } = azure()
    out.end('pass', 'Completed.')
    out.end('fail', 'Schema file has 2 errors.', { plain: true })
    out.end('warn', 'Failed, continuing.')
    expect(lines).toEqual([
      'Completed.',
      'Schema file has 2 errors.',
      '##vso[task.logissue type=warning]Failed, continuing.'
    ])
  })

  it('never lets outside text form a command or a line of its own', () => {
    const { lines, out } = azure()
    out.log.info('status ##vso[task.setvariable variable=x]y\n##[error]z')
    out.log.warning('w ##vso[task.complete result=Failed]')
    expect(lines).toEqual([
      'status #\\#vso[task.setvariable variable=x]y\\n#\\#[error]z',
      '##vso[task.logissue type=warning]w #\\#vso[task.complete result=Failed]'
    ])
  })

  it('masks every secret handed to the log, in every line', () => {
    const { lines, out } = azure()
    out.log.secret('s3cr3t-value')
    out.log.info('token s3cr3t-value')
    out.log.warning('s3cr3t-value!')
    out.end('fail', 'x s3cr3t-value')
    expect(lines.join('\n')).not.toContain('s3cr3t')
    expect(lines).toEqual([
      'token ***',
      '##vso[task.logissue type=warning]***!',
      '##vso[task.logissue type=error]x ***'
    ])
  })

  it('folds a phase into a group, closing it when the phase fails', async () => {
    const { lines, out } = azure()
    await expect(
      out.group('Waiting for x', async () => {
        out.log.info('inside')
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(lines).toEqual(['##[group]Waiting for x', 'inside', '##[endgroup]'])
  })

  it('sets each output as an output variable, named as the action names it', () => {
    const { lines, out, redactor } = azure()
    redactor.add('tok-123456')
    const outputs = {
      ...outputsOf({ status: 'failed', elapsedMs: 1234 }),
      'error-message': 'line one\nline 100%; tok-123456 ]'
    }
    out.outputs(outputs)
    expect(lines).toEqual([
      '##vso[task.setvariable variable=status;isOutput=true]failed',
      '##vso[task.setvariable variable=error-code;isOutput=true]',
      '##vso[task.setvariable variable=error-message;isOutput=true]line one%0Aline 100%AZP25; *** ]',
      '##vso[task.setvariable variable=operation;isOutput=true]',
      '##vso[task.setvariable variable=connection;isOutput=true]',
      '##vso[task.setvariable variable=elapsed-seconds;isOutput=true]1.2',
      '##vso[task.setvariable variable=operation-url;isOutput=true]',
      '##vso[task.setvariable variable=changes;isOutput=true]'
    ])
  })

  it.each([
    ['the help, without its last line break', 'Usage:\n\n  --json\n', ['Usage:', '', '  --json']],
    ['the version', '1.2.3', ['1.2.3']],
    ['text ending in a blank line, keeping it', 'a\n\n', ['a', '']]
  ])('writes %s on stdout as it is', (_, text, expected) => {
    const { lines, out } = azure()
    out.stdout(text)
    expect(lines).toEqual(expected)
  })

  it('puts a schema finding on its file, line and column', () => {
    const { lines, out } = azure()
    out.finding('connector/schema.json', {
      severity: 'error',
      rule: 'name-format',
      property: 'a b',
      line: 12,
      column: 5,
      message: "Property 'a b' has a bad name."
    })
    out.finding('connector/schema.json', { severity: 'warning', rule: 'x', message: 'No title.' })
    expect(lines).toEqual([
      "##vso[task.logissue type=error;sourcepath=connector/schema.json;linenumber=12;columnnumber=5]Property 'a b' has a bad name.",
      '##vso[task.logissue type=warning;sourcepath=connector/schema.json]No title.'
    ])
  })
})
