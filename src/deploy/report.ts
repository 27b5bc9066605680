import type { DownResult } from './down.js';
import type { ServiceResult } from './compose-up.js';
import type { ServiceStatus } from './status.js';
import type { Style } from './style.js';
import type { UpResult } from './up.js';

/** Seconds as `42s`, `5m12s`, `3h04m`, `2d03h`. */
export function formatUptime(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(seconds / 86400)}d${String(Math.floor((seconds % 86400) / 3600)).padStart(2, '0')}h`;
}

/** A table of service states (for `status` and the end of `up`). */
export function formatStatusTable(rows: readonly ServiceStatus[], st: Style): string {
  const head = ['SERVICE', 'STATE', 'HEALTH', 'UPTIME', 'URL'];
  const cells = rows.map((r) => [
    r.service,
    r.state === 'exited' && r.exitCode !== undefined ? `exited (${r.exitCode})` : r.state,
    r.health ?? '-',
    r.uptimeSeconds !== undefined ? formatUptime(r.uptimeSeconds) : '-',
    r.urls.join(' ') || '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const fmt = (c: string[], paintRow = false) =>
    c
      .map((v, i) => {
        const padded = i === c.length - 1 ? v : v.padEnd(widths[i]);
        if (!paintRow) return padded;
        if (i === 1) return v === 'running' ? st.green(padded) : v === 'exited (0)' ? padded : st.red(padded);
        if (i === 2) return v === 'healthy' ? st.green(padded) : v === '-' ? padded : v === 'starting' ? st.yellow(padded) : st.red(padded);
        return padded;
      })
      .join('  ')
      .trimEnd();
  return [st.bold(fmt(head)), ...cells.map((c) => fmt(c, true))].join('\n') + '\n';
}

/** The end of `up`, in words: what changed, what failed and why (with its last log lines), and the table. */
export function formatUpReport(r: UpResult, status: readonly ServiceStatus[], st: Style): string {
  const out: string[] = [];
  const secs = (r.durationMs / 1000).toFixed(1);
  const changed = r.services.filter((s) => s.action !== 'keep');
  const verb = (a: string) => ({ create: 'created', recreate: 'recreated', start: 'started', keep: 'unchanged' })[a] ?? a;
  const counts = ['create', 'recreate', 'start']
    .map((a) => [a, changed.filter((s) => s.action === a).length] as const)
    .filter(([, n]) => n > 0)
    .map(([a, n]) => `${n} ${verb(a)}`);
  const summary = r.changed ? counts.join(', ') || 'networks/volumes updated' : 'nothing changed, nothing recreated';
  for (const s of r.services.filter((x) => x.action === 'recreate')) out.push(`${st.dim('recreated')} ${s.service}: ${s.reasons.join('; ')}`);
  const bad = r.services.filter((s) => s.outcome === 'failed' || s.outcome === 'blocked');
  for (const s of bad) out.push(...failureBlock(s, st));
  out.push(formatStatusTable(status, st).trimEnd());
  const n = r.services.length;
  if (r.outcome === 'ok') {
    out.push(st.green(`✔ ${r.project} is up: ${n} service${n === 1 ? '' : 's'} healthy or running; ${summary} (${secs}s).`));
  } else if (r.outcome === 'degraded') {
    out.push(
      st.yellow(
        `! ${r.project} is DEGRADED: ${bad.map((s) => `${s.service} (${s.outcome === 'blocked' ? 'not started' : 'failed'})`).join(', ')}; ` +
          `the other services are up (${secs}s). Exit code 3.`,
      ),
    );
  } else if (r.outcome === 'interrupted') {
    out.push(st.yellow(`! interrupted: ${r.project} is partly deployed. Run the same command again to finish; it picks up where this run stopped.`));
  } else {
    const req = bad.filter((s) => !s.optional);
    out.push(
      st.red(`✖ ${r.project} is NOT up: ${req.map((s) => `${s.service} ${s.outcome === 'blocked' ? 'was not started' : 'failed'}`).join(', ')} (${secs}s).`),
    );
  }
  return out.join('\n') + '\n';
}

function failureBlock(s: ServiceResult, st: Style): string[] {
  const head = `${s.outcome === 'blocked' ? st.yellow('✖') : st.red('✖')} ${s.service}${s.optional ? ' (optional)' : ''}: ${s.detail ?? s.outcome}`;
  if (!s.logs?.length) return [head];
  return [head, st.dim(`  last ${s.logs.length} log lines of ${s.container}:`), ...s.logs.map((l) => `  | ${l}`)];
}

/** `down`, in words. */
export function formatDownReport(r: DownResult): string {
  const lines: string[] = [];
  if (!r.removedContainers.length && !r.removedNetworks.length && !r.removedVolumes.length) lines.push(`Project ${r.project}: nothing to remove.`);
  else {
    lines.push(
      `Project ${r.project}: removed ${r.removedContainers.length} container(s), ${r.removedNetworks.length} network(s), ${r.removedVolumes.length} volume(s).`,
    );
    for (const c of r.removedContainers) lines.push(`  removed container ${c}`);
    for (const n of r.removedNetworks) lines.push(`  removed network ${n}`);
    for (const v of r.removedVolumes) lines.push(`  removed volume ${v} (its data is gone)`);
  }
  for (const v of r.keptVolumes) lines.push(`  kept volume ${v} (data kept; 'down --volumes' removes it)`);
  if (r.keptAnonymousVolumes.length) {
    lines.push(
      `  kept ${r.keptAnonymousVolumes.length} anonymous volume(s) of the removed containers (no container uses them now; 'docker volume prune' removes them)`,
    );
  }
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n') + '\n';
}
