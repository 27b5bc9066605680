import type { Image } from '../core/image.js';

/*
 * What the images of the built-in services contain, for the programs a
 * healthcheck, command or entrypoint may run (facts from each image's
 * Dockerfile, see the notes below). Only the programs a probe is usually
 * written with are listed: a program not listed is not judged.
 */

/** Programs a probe or a script is usually written with. */
type ProbeProgram = 'sh' | 'bash' | 'wget' | 'curl';

/** What an image lacks of {@link ProbeProgram}, and the probe that works in it. */
export interface ImageContents {
  /** Programs of {@link ProbeProgram} the image does not have. */
  readonly lacks: readonly ProbeProgram[];
  /** The probe that works in the image, as advice. */
  readonly probe: string;
}

interface Entry {
  /** Docker Hub repository, as `owner/name`. */
  readonly repository: string;
  /** The entry holds for these versions (undefined: every version, or a tag with no version). */
  readonly versions?: (image: Image) => boolean;
  readonly contents: ImageContents;
}

const BASH_PROBE = (what: string) =>
  `a bash probe through /dev/tcp: Healthcheck.command(['bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/<port> && printf 'GET ${what} HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"])`;
const BUSYBOX_WGET = (path: string) => `busybox's wget: Healthcheck.wget('http://127.0.0.1:<port>${path}')`;

const ENTRIES: readonly Entry[] = [
  // Loki 3.6+: distroless static:nonroot (cmd/loki/Dockerfile), no shell at all; `loki -health` since 3.6.5.
  {
    repository: 'grafana/loki',
    versions: (i) => (i.compareVersion('3.6.0') ?? -1) >= 0,
    contents: { lacks: ['sh', 'bash', 'wget', 'curl'], probe: "Loki's own health command: Healthcheck.command(['/usr/bin/loki', '-health'])" },
  },
  // Loki up to 3.5: distroless static:debug, whose busybox has sh and wget.
  { repository: 'grafana/loki', contents: { lacks: ['bash', 'curl'], probe: BUSYBOX_WGET('/ready') } },
  // Promtail (clients/cmd/promtail/Dockerfile): Ubuntu noble, plus tzdata and ca-certificates.
  { repository: 'grafana/promtail', contents: { lacks: ['wget', 'curl'], probe: BASH_PROBE('/ready') } },
  // Alloy (Dockerfile of grafana/alloy v1.19): Ubuntu noble with ca-certificates, libsystemd0 and tzdata.
  { repository: 'grafana/alloy', contents: { lacks: ['wget', 'curl'], probe: BASH_PROBE('/-/ready') } },
  // Prometheus, Alertmanager, node_exporter: FROM quay.io/prometheus/busybox (their Dockerfiles): sh and wget.
  { repository: 'prom/prometheus', contents: { lacks: ['bash', 'curl'], probe: BUSYBOX_WGET('/-/ready') } },
  { repository: 'prom/alertmanager', contents: { lacks: ['bash', 'curl'], probe: BUSYBOX_WGET('/-/ready') } },
  { repository: 'prom/node-exporter', contents: { lacks: ['bash', 'curl'], probe: BUSYBOX_WGET('/metrics') } },
];

/** What the image lacks, when it is the image of a built-in service; undefined for another image. */
export function imageContents(image: Image): ImageContents | undefined {
  const repo = image.repository.replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
  return ENTRIES.find((e) => e.repository === repo && (!e.versions || e.versions(image)))?.contents;
}

/**
 * The programs an argv runs: its first word, and for a shell (`sh -c`,
 * `bash -c`) the first word of each command of its script. Paths count by
 * their base name (`/bin/sh` is `sh`).
 */
export function programsRun(argv: readonly string[]): string[] {
  const [first, flag, script] = argv;
  if (first === undefined) return [];
  const run = [baseName(first)];
  if ((run[0] === 'sh' || run[0] === 'bash') && flag === '-c' && typeof script === 'string') run.push(...scriptPrograms(script));
  return run;
}

/** The first word of each command of a shell script (after `&&`, `||`, `;`, `|`, `(`, a newline), assignments skipped. */
export function scriptPrograms(script: string): string[] {
  const out: string[] = [];
  for (const part of script.split(/&&|\|\||[;|\n(]/)) {
    const words = part
      .trim()
      .split(/\s+/)
      .filter((w) => w !== '' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    const word = words[0] === 'exec' ? words[1] : words[0];
    if (word && /^[\w./-]+$/.test(word)) out.push(baseName(word));
  }
  return out;
}

/** The programs of `run` the image lacks. */
export function missingPrograms(contents: ImageContents, run: readonly string[]): string[] {
  return [...new Set(run.filter((p): p is ProbeProgram => (contents.lacks as readonly string[]).includes(p)))];
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
