// `npm run mutate`: StrykerJS over every module of src/ with their unit tests:
// the pure ones, and those that do I/O (http, graph, token, credentials,
// files, run, session, the front doors' main), which the unit tests run in
// process against the simulator. Left out: the entries (src/cli/index.ts,
// src/action/index.ts, src/exit.ts: process wiring that only the end-to-end
// tests run), the engine's index.ts and log.ts (re-exports and a type), and
// the generated vocabulary.ts (data, checked against the metadata).
// Static mutants (module-level constants) rerun every test and take most of
// the time: `--ignoreStatic` leaves them out of a quick per-file run.
// Stryker 9, because 10 needs Node 22 and these machines run Node 20. Not part
// of .ci/run: it takes minutes. The report lands in reports/mutation/.
// MUTATE_TESTS=<glob> runs only the tests it matches, as in
// MUTATE_TESTS='**/engine/schema*.test.ts' npx stryker run --mutate src/engine/schema.ts:
// a module's own tests give a lower bound on its score in minutes, where the
// whole suite takes hours (every in-process run covers schema.ts).
const focus = process.env.MUTATE_TESTS

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  jest: {
    configFile: 'jest.config.js',
    config: {
      testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$', '/simulator/', '/tools/'],
      ...(focus && { testMatch: [focus] })
    }
  },
  mutate: [
    'src/engine/settings.ts',
    'src/engine/budget.ts',
    'src/engine/http.ts',
    'src/engine/graph.ts',
    'src/engine/token.ts',
    'src/engine/credentials.ts',
    'src/engine/files.ts',
    'src/engine/summary.ts',
    'src/engine/model.ts',
    'src/engine/errors.ts',
    'src/engine/certificate.ts',
    'src/engine/retry.ts',
    'src/engine/wait.ts',
    'src/engine/targets.ts',
    'src/engine/verdict.ts',
    'src/engine/progress.ts',
    'src/engine/text.ts',
    'src/engine/json.ts',
    'src/engine/schema.ts',
    'src/engine/hints.ts',
    'src/engine/json-positions.ts',
    'src/engine/schema-diff.ts',
    'src/engine/connector.ts',
    'src/engine/connection-diff.ts',
    'src/engine/schema-changes.ts',
    'src/engine/connector-file.ts',
    'src/engine/reconcile.ts',
    'src/engine/connector-report.ts',
    'src/engine/connector-export.ts',
    'src/engine/export.ts',
    'src/engine/schema-report.ts',
    'src/engine/deploy.ts',
    'src/engine/run.ts',
    'src/engine/session.ts',
    'src/cli/main.ts',
    'src/cli/environment.ts',
    'src/cli/flags.ts',
    'src/cli/voice.ts',
    'src/cli/dotenv.ts',
    'src/cli/azure.ts',
    'src/cli/platforms.ts',
    'src/cli/redact.ts',
    'src/cli/export.ts',
    'src/cli/terminal.ts',
    'src/cli/output.ts',
    'src/cli/output-file.ts',
    'src/cli/help.ts',
    'src/action/main.ts',
    'src/action/report.ts',
    'src/action/summary-html.ts',
    'src/action/log.ts'
  ],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  concurrency: 2
}
