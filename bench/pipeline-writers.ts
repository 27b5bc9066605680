// The bash scripts the pipeline benchmark's writer containers run. Each line carries the writer's
// clock (bash's $EPOCHREALTIME, µs: bash >= 5.0), so a line's print time is what really happened,
// not when the benchmark asked for it.

/** A line every script prints first; the benchmark waits until Loki returns it (the container is then collected). */
export const WARMUP_MARK = 'bench warmup';

/** A NEW container's single line: its print time dates the first-line latency. */
export function firstLineScript(): string {
  return ['printf "bench first printed_us=%s\\n" "${EPOCHREALTIME/./}"', 'exec sleep 86400'].join('\n');
}

/** The head of both scripts: the warm-up line, then wait for SIGUSR1 (bash runs the trap when the current `sleep` ends: at most 50 ms). */
const WAIT_FOR_SIGNAL = [
  "trap 'go=1' USR1",
  'go=0',
  `printf "${WARMUP_MARK} printed_us=%s\\n" "\${EPOCHREALTIME/./}"`,
  'while (( ! go )); do sleep 0.05; done',
];

/** Sleeps until line `n` is due at `rate` lines/s from `$start` (µs); never hurries, so a slow machine prints slower than `rate`. */
const pace = (n: string, rate: number) => [
  `due=$(( start + ${n} * 1000000 / ${rate} )); now=\${EPOCHREALTIME/./}`,
  'if (( due > now )); then d=$(( due - now )); printf -v f %06d $(( d % 1000000 )); sleep "$(( d / 1000000 )).$f"; fi',
];

/**
 * The steady writer: prints the warm-up line, waits for SIGUSR1 (the benchmark sends it once Loki
 * returned the warm-up line, so the container is already collected), then prints `lines` lines at
 * `rate` per second, one write each, each with its sequence number and print time, then sleeps (a
 * container that exits may lose its last lines to a collector that drops the target at once).
 */
export function steadyScript(lines: number, rate: number): string {
  return [
    ...WAIT_FOR_SIGNAL,
    'start=${EPOCHREALTIME/./}',
    `for ((i=0; i<${lines}; i++)); do`,
    '  printf "bench steady seq=%d printed_us=%s\\n" "$i" "${EPOCHREALTIME/./}"',
    `  if (( i % 25 == 24 )); then`,
    ...pace('(i + 1)', rate).map((l) => `    ${l}`),
    '  fi',
    'done',
    'exec sleep 86400',
  ].join('\n');
}

/** The text every burst line starts with, for counting them in Loki. */
export const BURST_MARK = 'bench burst seq=';

/**
 * The burst writer: the warm-up line, SIGUSR1, then `lines` lines of 100 bytes (with the newline, a
 * typical short log line) at about `rate` per second, written `chunk` lines per write as a program
 * with buffered output does (one printf per line makes bash itself the bottleneck: about 12,000
 * lines/s here), then sleeps. The lines carry no print time: Docker's timestamps date them.
 */
export function burstScript(lines: number, rate: number, chunk: number): string {
  // Paced every 10 writes: each pause forks `sleep`, and a fork per write would slow the loop again.
  const pacedEvery = chunk * 10;
  return [
    ...WAIT_FOR_SIGNAL,
    `fmt="${BURST_MARK}%06d ${'x'.repeat(76)}\\n"`,
    'start=${EPOCHREALTIME/./}',
    `for ((i=0; i<${lines}; i+=${chunk})); do`,
    `  args=(); for ((j=i; j<i+${chunk} && j<${lines}; j++)); do args+=("$j"); done`,
    '  printf "$fmt" "${args[@]}"',
    `  if (( j % ${pacedEvery} == 0 || j == ${lines} )); then`,
    ...pace('j', rate).map((l) => `    ${l}`),
    '  fi',
    'done',
    'exec sleep 86400',
  ].join('\n');
}
