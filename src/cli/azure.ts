// The command line in Azure Pipelines (TF_BUILD set): warnings and errors as
// ##vso[task.logissue] logging commands, the outputs as output variables, the
// phases as ##[group] sections. Everything goes to stdout: the agent reads
// logging commands only there, keeps the order of one stream, and a step with
// failOnStderr would fail on any line written to stderr.
import { OUTPUT_NAMES } from '../engine/index.js'
import type { Log } from '../engine/index.js'
import { maskedOutputs, safeLine } from './output.js'
import type { Output, Stream } from './output.js'
import type { Redactor } from './redact.js'

// The agent's escapes, as its task library writes them: '%' first, so that an
// escape already in the text stays text.
/** Escapes the message of a logging command (after the `]`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escapes a property value of a logging command (between `[` and `]`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/]/g, '%5D').replace(/;/g, '%3B')
}

/** `##vso[area.action key=value;…]message`, every part escaped. */
export function loggingCommand(
  command: string,
  properties: Record<string, string | number | undefined>,
  message: string
): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(';')
  return `##vso[${command}${props ? ` ${props}` : ''}]${escapeData(message)}`
}

export function azureOutput(streams: { stdout: Stream }, redactor: Redactor): Output {
  const write = (line: string): void => {
    streams.stdout.write(`${line}\n`)
  }
  // Text from outside is made inert before it is escaped: it can form no
  // command of its own, and a line break in it shows as \n.
  const issue = (type: 'error' | 'warning', message: string, properties = {}): void =>
    write(loggingCommand('task.logissue', { type, ...properties }, safeLine(redactor, message)))

  const log: Log = {
    info: message => write(safeLine(redactor, message)),
    // Shown by the agent only when the run has system.debug set.
    debug: message => write(loggingCommand('task.debug', {}, safeLine(redactor, message))),
    warning: message => issue('warning', message),
    secret: value => redactor.add(value)
  }

  return {
    log,
    async group(title, work) {
      write(`##[group]${safeLine(redactor, title)}`)
      try {
        return await work()
      } finally {
        write('##[endgroup]')
      }
    },
    finding(file, finding) {
      issue(finding.severity, finding.message, {
        sourcepath: safeLine(redactor, file, 1_000),
        linenumber: finding.line,
        columnnumber: finding.column
      })
    },
    outputs(outputs) {
      // Values as they are (Graph's text), escaped so that each stays one
      // command; secrets masked. Not secret variables: nothing secret is in them.
      const masked = maskedOutputs(outputs, redactor)
      for (const name of OUTPUT_NAMES) {
        write(
          loggingCommand('task.setvariable', { variable: name, isOutput: 'true' }, masked[name])
        )
      }
    },
    end(level, message, { plain = false } = {}) {
      if (level === 'pass' || plain) write(safeLine(redactor, message))
      else issue(level === 'warn' ? 'warning' : 'error', message)
    },
    stdout(text) {
      write(text.replace(/\n$/, ''))
    },
    progress() {
      // Azure Pipelines shows the log lines; it has no line to redraw.
    },
    close() {}
  }
}
