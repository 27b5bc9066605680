// The bash scripts the pipeline benchmark's writer containers run. Each line carries the writer's
// clock (bash's $EPOCHREALTIME, µs: bash >= 5.0), so a line's print time is what really happened,
// not when the benchmark asked for it.

/** A line every script prints first; the benchmark waits until Loki returns it (the container is then collected). */
export const WARMUP_MARK = 'bench warmup';

/** A NEW container's single line: its print time dates the first-line latency. */
export function firstLineScript(): string {
  return ['printf "bench first printed_us=%s\\n" "${EPOCHREALTIME/./}"', 'exec sleep 86400'].join('\n');
}

/**
 * Prints the warm-up line, waits for SIGUSR1 (the benchmark sends it once Loki returned the warm-up
 * line: the container is then already collected), prints `lines` lines at `rate` per second, then
 * sleeps (a container that exits may lose its last lines to a collector that drops the target at once).
 *
 * Pacing: the loop sleeps every `every` lines until the schedule catches up; it never hurries, so
 * a slow machine prints slower than `rate` (the benchmark dates the last line by Docker's
 * timestamp, not by the schedule). Bash runs the USR1 trap when the current `sleep` ends (at most 50 ms).
 * @param line a printf format with %d for the sequence number and %s for the print time in µs
 *   (or %.0s to leave it out, which a burst does to print faster)
 */
export function waitThenPrintScript(opts: { readonly lines: number; readonly rate: number; readonly every: number; readonly line: string }): string {
  return [
    "trap 'go=1' USR1",
    'go=0',
    `printf "${WARMUP_MARK} printed_us=%s\\n" "\${EPOCHREALTIME/./}"`,
    'while (( ! go )); do sleep 0.05; done',
    'start=${EPOCHREALTIME/./}',
    `for ((i=0; i<${opts.lines}; i++)); do`,
    `  printf "${opts.line}\\n" "$i" "\${EPOCHREALTIME/./}"`,
    `  if (( i % ${opts.every} == ${opts.every - 1} )); then`,
    `    due=$(( start + (i + 1) * 1000000 / ${opts.rate} )); now=\${EPOCHREALTIME/./}`,
    '    if (( due > now )); then d=$(( due - now )); sleep "$(( d / 1000000 )).$(printf %06d $(( d % 1000000 )))"; fi',
    '  fi',
    'done',
    'exec sleep 86400',
  ].join('\n');
}

/** The steady writer's line: sequence number and print time. */
export const STEADY_LINE = 'bench steady seq=%d printed_us=%s';

/** A burst line: 100 bytes with its newline (a typical short log line), no print time (printing it would slow the burst). */
export const BURST_LINE = `bench burst seq=%06d%.0s ${'x'.repeat(76)}`;
/** The text every burst line holds, for counting them in Loki. */
export const BURST_MARK = 'bench burst seq=';
