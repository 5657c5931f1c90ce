// What the engine's modules share and no module owns: the words a front door
// uses for its settings.

/**
 * How a front door names a setting (by its action.yml input name) in a
 * message: the action by its inputs, the command line by its flags and
 * environment variables. The engine words every message through it, so no
 * front door rewrites the engine's text afterwards.
 */
export interface Voice {
  /** The setting as its user writes it: timeout-seconds; --timeout-seconds. */
  name(setting: string): string
  /** Settings as the subject of a message: Input 'tenant-id'; --tenant-id. */
  subject(...settings: string[]): string
  /** The setting quoted in a sentence: 'operation-url'; --operation-url. */
  quoted(setting: string): string
  /** The setting given a value, as advice: api-version: beta; --api-version beta. */
  assign(setting: string, value: string): string
  /** What runs, in a sentence: the action; this command. */
  self: string
  /** Where a relative file path is read from. */
  relativeTo: string
  /** The whole message when no credential is set, when the front door has its own advice. */
  noCredential?: string
}

/** The action's voice: its inputs, as action.yml names them. */
export const ACTION_VOICE: Voice = {
  name: setting => setting,
  subject: (...settings) =>
    `${settings.length > 1 ? 'Inputs' : 'Input'} ${settings.map(s => `'${s}'`).join(' and ')}`,
  quoted: setting => `'${setting}'`,
  assign: (setting, value) => `${setting}: ${value}`,
  self: 'the action',
  relativeTo: 'the workspace (GITHUB_WORKSPACE)'
}
