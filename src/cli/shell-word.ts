/**
 * A word as a POSIX shell reads it back, for the commands the CLIs print for copying: quoted only
 * when it has to be (a space, a quote, a `$`...).
 */
export function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
