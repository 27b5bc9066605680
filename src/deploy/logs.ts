import type Docker from 'dockerode';

/** The last `lines` lines a container printed (stdout and stderr, in order). Empty if the logs cannot be read. */
export async function tailLogs(docker: Docker, containerId: string, lines = 20): Promise<string[]> {
  try {
    const c = docker.getContainer(containerId);
    const [info, raw] = await Promise.all([c.inspect(), c.logs({ stdout: true, stderr: true, tail: lines, follow: false }) as unknown as Promise<Buffer>]);
    const text = info.Config.Tty ? Buffer.from(raw).toString('utf8') : demux(Buffer.from(raw));
    return text
      .replace(/\r/g, '')
      .split('\n')
      .filter((l, i, all) => l !== '' || i < all.length - 1)
      .slice(-lines);
  } catch {
    return [];
  }
}

/** Joins the frames of Docker's multiplexed log stream (8-byte header: stream, 0, 0, 0, size). */
export function demux(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return out;
}
