import { isIP } from 'node:net';

/*
 * Port numbers and port specs: the one implementation of each in this library.
 * A port is a 16-bit number (docker/go-connections nat.ParsePort: strconv.ParseUint(port, 10, 16)).
 * Two ranges are in use, for two meanings of 0:
 * - a port a container listens on or the host publishes is 1 to 65535 ({@link isPortNumber}): a
 *   container port 0 is no port, and a host port 0 would ask Docker for any free one, which a stack
 *   that names its ports does not mean;
 * - a port a Go program is told to listen on is 0 to 65535 ({@link LISTEN_PORT_MIN}): 0 is "any free
 *   port" (Go's net.Listen), which Promtail's grpc_listen_port: 0 relies on.
 */

/** The largest port number. */
export const PORT_MAX = 65535;
/** The smallest port a container listens on or the host publishes. */
export const PORT_MIN = 1;

/** A port a container listens on or the host publishes: a whole number from 1 to 65535. */
export function isPortNumber(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= PORT_MIN && (n as number) <= PORT_MAX;
}

/** The smallest port a Go program is told to listen on: 0, any free one. */
export const LISTEN_PORT_MIN = 0;

/** An IP as one form: brackets stripped, IPv6 compressed and lower case (`[0:0:0:0:0:0:0:1]` is `::1`). */
export function normaliseIp(ip: string): string {
  const bare = ip.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 6) return bare;
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare.toLowerCase();
  }
}

/**
 * The host ports one entry of a service's `ports` publishes: the long syntax (`{target, published,
 * host_ip, protocol}`) or the short one (`[IP:][HOST:]CONTAINER[/PROTO]`, docker/go-connections
 * nat.ParsePortSpec). No published port (an ephemeral one) or a value to interpolate takes nothing known.
 */
export function publishedPorts(p: unknown): Array<{ ip: string; port: number; proto: string }> {
  let ip: string | undefined;
  let published: string | undefined;
  let proto = 'tcp';
  if (typeof p === 'object' && p !== null) {
    const o = p as Record<string, unknown>;
    if (o.published === undefined || o.published === null) return [];
    published = String(o.published);
    ip = typeof o.host_ip === 'string' ? o.host_ip : undefined;
    if (typeof o.protocol === 'string') proto = o.protocol;
  } else if (typeof p === 'string' || typeof p === 'number') {
    let spec = String(p);
    const slash = spec.lastIndexOf('/');
    if (slash >= 0) {
      proto = spec.slice(slash + 1);
      spec = spec.slice(0, slash);
    }
    // The container port after the last ':', the host port before it, the address before that (nat.ParsePortSpec).
    const last = spec.lastIndexOf(':');
    if (last < 0) return [];
    const hostPart = spec.slice(0, last);
    const colon = hostPart.lastIndexOf(':');
    published = colon >= 0 ? hostPart.slice(colon + 1) : hostPart;
    ip = colon >= 0 ? hostPart.slice(0, colon) : undefined;
    if (published === '') return [];
  } else return [];
  if (published.includes('$') || (ip ?? '').includes('$')) return [];
  const range = /^(\d+)(?:-(\d+))?$/.exec(published);
  if (!range) return [];
  const from = Number(range[1]);
  const to = Math.min(Number(range[2] ?? range[1]), PORT_MAX);
  const addr = ip === undefined || ip === '' ? '*' : normaliseIp(ip);
  const out: Array<{ ip: string; port: number; proto: string }> = [];
  for (let port = from; port <= to; port++) out.push({ ip: addr, port, proto });
  return out;
}
