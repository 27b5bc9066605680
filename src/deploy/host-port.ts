/** A host port a service will need (the preflight checks it is free; a deploy target lists them). */
export interface HostPort {
  readonly ip: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
}
