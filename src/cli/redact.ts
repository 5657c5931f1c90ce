// The command line masks secrets itself (there is no runner to do it): every
// value handed to Log.secret is replaced by *** in everything it writes.

export const MASK = '***'

export class Redactor {
  // Longest first, so a secret that contains another is masked whole.
  private secrets: string[] = []

  add(value: string): void {
    if (!value || this.secrets.includes(value)) return
    this.secrets.push(value)
    this.secrets.sort((a, b) => b.length - a.length)
  }

  /** The text with every secret masked. */
  apply(text: string): string {
    let result = text
    for (const secret of this.secrets) result = result.split(secret).join(MASK)
    return result
  }
}
