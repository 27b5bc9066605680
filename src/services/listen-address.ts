import { Stack } from '../core/stack.js';

/** An address without the brackets an IPv6 literal gets in URLs. */
export function unbracket(address: string): string {
  return address.replace(/^\[(.*)\]$/, '$1');
}

/** True for an IPv6 literal (with or without brackets). */
export function isIPv6(address: string): boolean {
  return unbracket(address).includes(':');
}

/** `host:port`, with an IPv6 literal in brackets (what Go, gunicorn and URLs expect). */
export function joinHostPort(host: string, port: number): string {
  const h = unbracket(host);
  return isIPv6(h) ? `[${h}]:${port}` : `${h}:${port}`;
}

/** `<listen address>:<port>` for a service's own listen flag: the bind address on host networking, all addresses otherwise. */
export function listenHostPort(stack: Stack, port: number): string {
  return joinHostPort(stack.listenAddress, port);
}

/**
 * The address a healthcheck running inside the service's container dials.
 * A service listening on a wildcard is reached on loopback; one listening on
 * a specific address (host networking with a non-wildcard bind address) only
 * on that address, so probing 127.0.0.1 there would fail forever.
 */
export function probeAddress(stack: Stack): string {
  const a = unbracket(stack.listenAddress);
  if (a === '0.0.0.0') return '127.0.0.1';
  if (a === '::') return '::1';
  return a;
}

/** `http://<probe address>:<port><path>`, for healthchecks. */
export function probeUrl(stack: Stack, port: number, path = ''): string {
  return `http://${joinHostPort(probeAddress(stack), port)}${path}`;
}
