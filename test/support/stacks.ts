/** Small stacks built with the core constructs, and a deploy helper, for the deploy tests. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { App } from '../../src/index.js';
import type { SynthesizedStack } from '../../src/core/synthesizer.js';
import type { DeployEvent } from '../../src/deploy/events.js';
import { writeSynthesis } from '../../src/core/output-directory.js';
import { targetsFromSynthesis, type DeployTarget } from '../../src/deploy/target.js';
import { deployPlan, deployUp, type UpOptions, type UpResult } from '../../src/deploy/up.js';
import { requireDocker } from './docker.js';
import { ensureStandIns } from './standins.js';
import { tempDir } from './temp.js';

export { logsLikeStack, TextFile, type LogsLikeOptions } from './logs-like-stack.js';

/** A fresh output directory (removed when the test file is done). */
export function tempOut(): string {
  return tempDir('deploy-out');
}

/** What {@link deploy} returns: the result and every event, in order. */
export interface Deployed {
  readonly result: UpResult;
  readonly events: DeployEvent[];
  readonly target: DeployTarget;
  readonly stacks: SynthesizedStack[];
}

/** Synthesizes an app, builds its stand-in images, writes the output and deploys, as `aixcl-deploy` does. */
export async function deploy(app: App, outdir: string, opts: Omit<UpOptions, 'events' | 'writeFiles'> = {}): Promise<Deployed> {
  const engine = await requireDocker();
  const stacks = app.synthesize();
  await ensureStandIns(engine.docker, stacks);
  const [target] = targetsFromSynthesis(stacks, outdir);
  const events: DeployEvent[] = [];
  const result = await deployUp(target, {
    engine,
    variables: {},
    ...opts,
    events: (e) => events.push(e),
    writeFiles: () => {
      writeSynthesis(outdir, stacks);
    },
  });
  return { result, events, target, stacks };
}

/** The plan `up` would carry out (a dry run). */
export async function dryRun(app: App, outdir: string, opts: { variables?: Record<string, string> } = {}) {
  const engine = await requireDocker();
  const stacks = app.synthesize();
  await ensureStandIns(engine.docker, stacks);
  const [target] = targetsFromSynthesis(stacks, outdir);
  return (await deployPlan(target, { engine, variables: opts.variables ?? {} })).plan;
}

/** The index of the first event matching, for ordering assertions. */
export function indexOfEvent(events: readonly DeployEvent[], service: string, state: string): number {
  return events.findIndex((e) => e.type === 'service' && e.service === service && e.state === state);
}

/**
 * A deploy target for a compose document written by hand (no synthesis, no generated files), written
 * to `outdir/docker-compose.yml`: `deployUp` without `writeFiles` runs Compose on the file that is there.
 */
export function documentTarget(document: { name: string }, outdir: string): DeployTarget {
  const configFile = join(outdir, 'docker-compose.yml');
  writeFileSync(configFile, stringify(document));
  return { projectName: document.name, configFile, document, generatedFiles: [], urls: {}, hostNetworkPorts: {} };
}
