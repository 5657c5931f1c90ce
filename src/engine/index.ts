// The engine's one front: everything the front doors (src/action/, src/cli/)
// use, and nothing else. A front door imports from here, never from a module
// of the engine, so the engine can move its insides without touching them.
export { createBudget } from './budget.js'
export { readTokenFile } from './credentials.js'
export { ActionError, InputError, messageOf, stackOf } from './errors.js'
export { exportStep } from './export.js'
export type { ExportHooks } from './export.js'
export { FileProblem, codeOf, kindOf, readSmallFile } from './files.js'
export type { Log } from './log.js'
export type { Settings, Voice } from './model.js'
export { statusText } from './progress.js'
export type { ProgressEvent } from './progress.js'
export { runStep } from './run.js'
export type { RunHooks } from './run.js'
export type { Finding } from './schema.js'
export {
  INVALID_CONNECTOR_FILE,
  INVALID_SCHEMA_FILE,
  MAX_ROWS,
  findingsToAnnotate,
  moreFindingsLine
} from './schema-report.js'
export { readSettings } from './settings.js'
export { summaryJson, summaryLines } from './summary.js'
export type {
  Cell,
  ErrorDetail,
  FileLine,
  Summary,
  SummaryCell,
  SummaryFailure,
  SummaryRow,
  SummaryTable
} from './summary.js'
export type { InputReader, SettingsOptions } from './settings.js'
export { formatSeconds, inert, maskSecrets, rememberSecret } from './text.js'
export { OUTPUT_NAMES, errorFailure, outputsOf } from './verdict.js'
export type { OutputValues, Outputs, Verdict } from './verdict.js'
