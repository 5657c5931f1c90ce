// Reads and checks a connector file before any request: the file itself (a
// regular file of bounded size, inside the workspace in the action), the schema
// and layout files it names (relative to it, under the same rules), and its
// schema with the schema check. Every finding names the file it is in, as the
// input names it, so the front doors annotate the right file and line.
import { dirname, isAbsolute, posix, resolve } from 'node:path'
import { checkConnector } from './connector.js'
import { InputError } from './errors.js'
import { FileProblem, readInputFile, readSmallFile } from './files.js'
import type { JsonObject } from './json.js'
import type { ConnectorTarget, Settings } from './model.js'
import { checkSchema } from './schema.js'
import type { Finding, Schema } from './schema.js'
import { connectionIdProblem } from './settings.js'
import { inert } from './text.js'

/** The largest connector, schema or layout file read: each is a few tens of KB at most. */
export const MAX_CONNECTOR_FILE_BYTES = 1024 * 1024

/** A connector file with no errors, as Graph reads it. */
export interface ConnectorSpec {
  /** The connection's ID, as the file writes it. */
  id: string
  /** The connection fields the file writes (not id): only these are compared and sent. */
  fields: JsonObject
  /** The schema to submit; absent when the file leaves the schema out (it is not managed). */
  schema?: Schema
}

export interface ConnectorFileCheck {
  /** Undefined when any finding is an error. */
  connector?: ConnectorSpec
  /** Every finding of the connector file and the files it names, each with its `file`. */
  findings: Finding[]
}

export function readConnectorFile(
  target: ConnectorTarget,
  settings: Pick<Settings, 'apiVersion' | 'requireCopilotReady' | 'voice'>
): ConnectorFileCheck {
  const { connectorFile } = target
  const { apiVersion, voice } = settings
  const text = readInputFile(connectorFile, 'connector-file', voice, {
    maxBytes: MAX_CONNECTOR_FILE_BYTES,
    what: 'a connector file is a JSON file of a few KB',
    example: 'connector/connector.json'
  })
  // Files it names are next to it or below, read under the rules it is read under. Its folder
  // bounds them even on the command line: the file's contents (a pull request's, say) choose
  // these paths, not whoever runs the command.
  const folder = dirname(connectorFile.path)
  const load = (relativePath: string): string | { problem: string } => {
    if (isAbsolute(relativePath) || /^[a-z]:/i.test(relativePath)) {
      return { problem: 'is an absolute path' }
    }
    try {
      return readSmallFile(resolve(folder, relativePath), MAX_CONNECTOR_FILE_BYTES, {
        within: folder
      })
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error
      return {
        problem: error.reason.replace(
          'outside the workspace',
          "outside the connector file's folder"
        )
      }
    }
  }
  const check = checkConnector(text, { apiVersion, load, checkId: connectionIdProblem, voice })
  // A file it names, as the input would name it: relative to the workspace, with '/'.
  const named = (file: string | undefined): string =>
    file === undefined
      ? connectorFile.shown
      : posix.normalize(posix.join(posix.dirname(toPosix(connectorFile.shown)), toPosix(file)))
  const findings: (Finding & { file: string })[] = check.findings.map(finding => ({
    ...finding,
    file: named(finding.file)
  }))

  let schema: Schema | undefined
  if (check.schema) {
    const category = check.connector?.fields.contentCategory
    const schemaCheck = checkSchema(check.schema.text, {
      apiVersion,
      requireCopilotReady: settings.requireCopilotReady,
      ...(typeof category === 'string' && { contentCategory: category }),
      voice
    })
    const file = named(check.schema.file)
    findings.push(...schemaCheck.findings.map(finding => ({ ...finding, file })))
    schema = schemaCheck.schema
  }
  // The connector file's own findings in file order, an inline schema's among them; then others.
  findings.sort(
    (a, b) =>
      Number(a.file !== connectorFile.shown) - Number(b.file !== connectorFile.shown) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      (a.column ?? 0) - (b.column ?? 0)
  )
  const { connector } = check
  if (!connector || findings.some(finding => finding.severity === 'error')) return { findings }

  // connection-id, when given, must name the same connection (IDs are not case-sensitive).
  if (target.connectionId && target.connectionId.toLowerCase() !== connector.id.toLowerCase()) {
    throw new InputError(
      `${voice.subject('connection-id')} is '${target.connectionId}', but the connector file ` +
        `${inert(connectorFile.shown, 200)} is for '${inert(connector.id, 40)}'. Make them the ` +
        `same, or ${voice.unset}: the file's "id" names the connection.`
    )
  }
  return {
    connector: { id: connector.id, fields: connector.fields, ...(schema && { schema }) },
    findings
  }
}

function toPosix(path: string): string {
  return path.replace(/\\/g, '/')
}
