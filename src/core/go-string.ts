/**
 * A Go double-quoted string literal for `value`: what LogQL (its lexer reads Go strings), Alloy
 * (syntax/scanner: Go's escapes) and Go templates read, so a value from the stack (a project name, a
 * service name, a regex) can never break the text it is put into. JSON's escapes (`\"`, `\\`, `\n`,
 * `\t`, `\uXXXX`, ...) are all valid Go escapes (strconv.Unquote).
 */
export function goStringLiteral(value: string): string {
  return JSON.stringify(value);
}
