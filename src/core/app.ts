import { Construct } from 'constructs';
import { z } from 'zod';
import { checkProps, propsSchema } from './props.js';
import { Stack } from './stack.js';
import { writeSynthesis, WriteResult } from './output-directory.js';
import { synthesize, SynthesizedStack } from './synthesizer.js';

const APP = Symbol.for('aixcl-cdk.App');

/** Props of an {@link App}. */
export interface AppProps {
  /**
   * Where {@link App.synth} writes. One stack writes into it directly; several
   * write into one sub-directory each, named after the project.
   * @default 'out'
   */
  readonly outdir?: string;
}

/** The run-time schema of {@link AppProps}. */
export const appSchema = propsSchema<AppProps>()(z.strictObject({ outdir: z.string().min(1).optional() }));

/** The Apps made while {@link trackApps} runs (a CLI loading a stack file), else undefined: nothing is kept. */
let tracked: App[] | undefined;

/**
 * @internal Runs `work` and returns, with its result, every App made meanwhile: a CLI loading a stack
 * file tells an App it was not given (whose stacks would be left out) from the one exported.
 */
export async function trackApps<T>(work: () => Promise<T>): Promise<{ result: T; apps: App[] }> {
  const outer = tracked;
  const apps: App[] = [];
  tracked = apps;
  try {
    return { result: await work(), apps };
  } finally {
    tracked = outer;
  }
}

/** The root of a construct tree: holds stacks and synthesizes them. */
export class App extends Construct {
  public static isApp(x: unknown): x is App {
    return typeof x === 'object' && x !== null && APP in x;
  }

  public readonly outdir: string;

  constructor(props: AppProps = {}) {
    // The root construct has no scope and an empty id, as in cdk8s.
    super(undefined as unknown as Construct, '');
    Object.defineProperty(this, APP, { value: true });
    props = checkProps(this, appSchema, props, { owner: 'App' });
    this.outdir = props.outdir ?? 'out';
    tracked?.push(this);
  }

  /** The stacks of the app, in tree order. */
  public get stacks(): Stack[] {
    return this.node.findAll().filter(Stack.isStack);
  }

  /**
   * Validates the whole tree and renders every file in memory.
   * @throws ValidationError listing every problem, with construct paths
   */
  public synthesize(): SynthesizedStack[] {
    return synthesize(this);
  }

  /**
   * Validates, renders and writes every file to {@link outdir}: on any
   * problem nothing is written and an earlier output stays as it was
   * (see {@link writeSynthesis}).
   */
  public synth(): WriteResult {
    return writeSynthesis(this.outdir, this.synthesize());
  }
}
