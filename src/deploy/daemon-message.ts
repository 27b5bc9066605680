/**
 * What a Docker daemon said, made fit to print in one sentence, and read by meaning.
 *
 * Engines word the same failure differently from release to release, and some put newlines inside
 * a message: Docker 26.1 answers a fixed IP on a network without a configured subnet with
 * "invalid endpoint settings:\nuser specified IP address is supported only when ..." where 20.10
 * said the second line only. So nothing here depends on a whole sentence of a daemon: a message is
 * flattened to one line, and a failure is recognised by the words that carry its meaning.
 */

/** A daemon's message on one line: its lines joined ('; ' where a line ends without punctuation). */
export function oneLine(message: string): string {
  const lines = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.map((l, i) => (i < lines.length - 1 && !/[:;,.]$/.test(l) ? `${l};` : l)).join(' ');
}

/** The daemon's own message of a failed API call, on one line, without dockerode's prefixes. */
export function describeDockerError(e: unknown): string {
  const err = e as { json?: { message?: string } | string; message?: string } | undefined;
  if (err?.json && typeof err.json === 'object' && err.json.message) return oneLine(err.json.message);
  if (typeof err?.json === 'string' && err.json.trim()) return oneLine(err.json);
  const msg = err?.message ?? String(e);
  // dockerode: "(HTTP code 400) unexpected - <daemon message>"
  return oneLine(msg.replace(/^\(HTTP code \d+\) [a-z ]+ - /i, ''));
}

/**
 * The host address and port of a "port already taken" failure, whatever the engine's wording:
 * the OS's EADDRINUSE text ("address already in use": 20.10 and 26.1 "listen tcp4 127.0.0.1:3000:
 * bind: ...", 28+ "failed to bind host port for 127.0.0.1:3000:172.18.0.2:80/tcp: ...") or the
 * daemon's own allocator ("Bind for 0.0.0.0:3000 failed: port is already allocated"). The first
 * address:port in the message is the host side in all of them.
 */
export function portInUse(message: string): { readonly ip: string; readonly port: number } | undefined {
  if (!/address already in use|port is already allocated/i.test(message)) return undefined;
  const m = /(\[[0-9a-f:.]+\]|\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b/i.exec(message);
  return m ? { ip: m[1], port: Number(m[2]) } : undefined;
}
