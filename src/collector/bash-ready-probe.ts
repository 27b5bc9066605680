import { unbracket } from '../services/listen-address.js';

/**
 * The bash script that probes an HTTP readiness endpoint without curl or wget (the Promtail and Alloy
 * images, Ubuntu-based, have bash and neither: stack-facts.md, Alloy's Dockerfile): it opens a TCP
 * connection with bash's `/dev/tcp`, sends a bare HTTP/1.0 request and succeeds only on `200 OK`.
 * @param address the address to dial, normally `probeAddress(stack)`; an IPv6 literal may come
 * bracketed (bash's `/dev/tcp` takes it bare)
 */
export function bashReadyProbe(address: string, port: number, path: string): string {
  return `exec 3<>/dev/tcp/${unbracket(address)}/${port} && printf 'GET ${path} HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3`;
}
