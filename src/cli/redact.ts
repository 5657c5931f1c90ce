// The command line masks secrets itself (there is no runner to do it): every
// value handed to Log.secret is replaced by *** in everything it writes. Each
// is also remembered by the engine, which masks it before it cuts any text.
import { maskSecrets, rememberSecret } from '../engine/index.js'

export class Redactor {
  // Longest first, so a secret that contains another is masked whole.
  private secrets: string[] = []

  add(value: string): void {
    if (!value || this.secrets.includes(value)) return
    rememberSecret(value)
    this.secrets.push(value)
    this.secrets.sort((a, b) => b.length - a.length)
  }

  /** The text with every secret masked. */
  apply(text: string): string {
    return maskSecrets(text, this.secrets)
  }
}
