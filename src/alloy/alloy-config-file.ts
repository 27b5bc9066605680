import type { Construct } from 'constructs';
import { collectedLabelRules, COLLECTOR_DOCKER_HOST } from '../collector/collected-labels.js';
import { pipelineStages, type ServiceLogFormat } from '../collector/log-pipeline.js';
import type { Duration } from '../core/duration.js';
import { GeneratedFile } from '../core/generated-file.js';
import { recordProblem } from '../core/props.js';
import { Stack } from '../core/stack.js';
import { alloyConfigIssues } from './alloy-config-check.js';
import { checkLogQL, type CheckLogQLOptions } from '../grafana/logql.js';
import { alloyStage } from './alloy-pipeline.js';
import {
  attr,
  attrs,
  block,
  component,
  exportOf,
  isAlloyBlockName,
  isAlloyIdentifier,
  renderAlloy,
  type AlloyBlock,
  type AlloyStatement,
  type AlloyValue,
} from './alloy-syntax.js';

/** OTLP intake: where the receiver listens and where it sends. */
export interface AlloyOtlpSettings {
  /** Address the receivers listen on (the container's every interface, or the stack's bind address on the host network). */
  readonly listenAddress: string;
  /** @default 4317 */
  readonly grpcPort: number;
  /** @default 4318 */
  readonly httpPort: number;
  /** Loki's native OTLP endpoint, without `/v1/logs` (the exporter adds it): `http://loki:3100/otlp`. */
  readonly lokiOtlpUrl: string;
}

/**
 * The OTLP resource attribute that carries the project of every log the intake receives; Loki keeps it as
 * the `compose_project` label (dots become underscores), so it names the same label as the collected logs'.
 */
export const OTLP_PROJECT_ATTRIBUTE = 'compose.project';

/** The OTLP resource attribute by which a service of the stack names itself; Loki's `compose_service` label. */
export const OTLP_SERVICE_ATTRIBUTE = 'compose.service';

/** Props of an {@link AlloyConfigFile}. */
export interface AlloyConfigFileProps {
  /** Loki's push endpoint, ending in `/loki/api/v1/push`. */
  readonly pushUrl: string;
  /** Compose project whose containers are collected (the discovery filter). */
  readonly project: string;
  /** How often Docker discovery lists the project's containers. */
  readonly refreshInterval: Duration;
  /**
   * The log formats of the collected services, read when the file is
   * written (services may be added after the collector).
   * @default no formats: every line is stored as it is
   */
  readonly logFormats?: () => readonly ServiceLogFormat[];
  /** OTLP intake. @default none */
  readonly otlp?: AlloyOtlpSettings;
  /**
   * What the `stage.match` selectors may select on (the Loki's labels and their values, as
   * {@link checkLogQL} takes them), read when the file is checked.
   * @default selectors are checked for syntax only
   */
  readonly selectorContext?: () => CheckLogQLOptions;
  /** @default 'alloy/config.alloy' */
  readonly filePath?: string;
}

/** The labels of the components this file writes (referred to by the escape hatch and by tests). */
export const ALLOY_LABELS = {
  discovery: 'containers',
  relabel: 'containers',
  source: 'containers',
  process: 'formats',
  write: 'loki',
  otlp: 'otlp',
} as const;

/**
 * Alloy's configuration (`config.alloy`): the Docker containers of one Compose project discovered
 * through the socket, labelled as Promtail labels them, read through the Docker API, the services'
 * log formats applied, and pushed to Loki; and, when asked, OTLP logs received and sent to Loki's
 * native OTLP endpoint. Built as a typed model (alloy-syntax.ts) and checked as Alloy would load it.
 *
 * Escape hatch: {@link addComponent} adds a component; {@link addOverride} sets or deletes an
 * attribute of a generated component.
 */
export class AlloyConfigFile extends GeneratedFile {
  public readonly pushUrl: string;
  public readonly project: string;
  private readonly added: AlloyBlock[] = [];
  private readonly overrides: Array<{ component: string; path: string[]; value: AlloyValue | undefined }> = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: AlloyConfigFileProps,
  ) {
    super(scope, id, props.filePath ?? 'alloy/config.alloy');
    this.pushUrl = props.pushUrl;
    this.project = props.project;
  }

  /** Escape hatch: a component (or top-level block) of your own, written after the generated ones. */
  public addComponent(c: AlloyBlock): void {
    if (!isAlloyBlockName(c.name)) recordProblem(this, `addComponent(): '${c.name}' is not an Alloy block name (identifiers joined by dots, e.g. 'loki.echo')`);
    else if (c.label !== undefined && !isAlloyIdentifier(c.label))
      recordProblem(this, `addComponent(): label '${c.label}' is not an Alloy identifier (letters, digits and '_')`);
    else this.added.push(c);
  }

  /**
   * Escape hatch: sets (or, with `undefined`, deletes) an attribute of a generated component.
   * @param componentId the component as written in the file: `loki.write "loki"`
   * @param path nested blocks and the attribute, dotted: `endpoint.batch_size`, `stage.match.selector` (the
   * first block of that name)
   */
  public addOverride(componentId: string, path: string, value: AlloyValue | undefined): void {
    const parts = path.split('.');
    if (!/^[A-Za-z_][\w.]* "[^"]+"$/.test(componentId) && !isAlloyBlockName(componentId)) {
      recordProblem(this, `addOverride(): '${componentId}' is not a component as the file writes it, e.g. 'loki.write "${ALLOY_LABELS.write}"'`);
    } else if (parts.some((p) => !isAlloyIdentifier(p))) {
      recordProblem(this, `addOverride('${componentId}', '${path}'): the path must be block and attribute names joined by dots, e.g. 'endpoint.batch_size'`);
    } else {
      this.overrides.push({ component: componentId, path: parts, value });
    }
  }

  /** The statements of the file, after the escape hatch. */
  public statements(): AlloyStatement[] {
    const built = [...this.build(), ...this.added];
    for (const o of this.overrides) {
      const i = built.findIndex((s) => s.kind === 'block' && idOf(s) === o.component);
      if (i < 0)
        throw new Error(
          `addOverride(): the file has no component ${o.component}; it has ${built
            .filter((s) => s.kind === 'block')
            .map((s) => idOf(s as AlloyBlock))
            .join(', ')}`,
        );
      built[i] = override(built[i] as AlloyBlock, o.path, o.value);
    }
    return built;
  }

  public render(): string {
    let statements: AlloyStatement[];
    try {
      statements = this.statements();
    } catch (e) {
      this.fail(e instanceof Error ? e.message : String(e));
    }
    const problems = this.check(statements);
    if (problems.length) {
      this.failWithParts(
        `the Alloy config would not load${this.overrides.length || this.added.length ? ' (check addOverride/addComponent)' : ''}`,
        problems.map((message) => ({ message })),
      );
    }
    return renderAlloy(statements, 'Generated by aixcl-cdk. Do not edit: change the stack and synthesize again.');
  }

  /**
   * The checks of the final statements: names Alloy's parser takes, then every component, argument,
   * block, value kind, reference and regex against Alloy's reference for the pinned line
   * (alloy-config-check.ts, alloy-reference.ts), as `alloy validate` and `alloy run` would refuse them.
   */
  protected check(statements: readonly AlloyStatement[]): string[] {
    const syntax = syntaxProblems(statements, []);
    if (syntax.length) return syntax;
    const issues = alloyConfigIssues(statements).map((i) => `${i.path}: ${i.message}`);
    // A match stage whose selector no stream satisfies never runs (Alloy's stages/match.go): the same
    // check as every LogQL of the tree, over the labels and values the lines have at that point.
    const context = this.props.selectorContext?.() ?? {};
    for (const { path, selector } of matchSelectors(statements, [])) {
      const problem = checkLogQL(selector, context);
      if (problem) issues.push(`${path} > selector: ${problem}`);
    }
    return issues;
  }

  private build(): AlloyStatement[] {
    const p = this.props;
    const L = ALLOY_LABELS;
    // Which container labels carry the project, the service and the node follows from the target (src/core/target.ts).
    const engine = Stack.of(this).projectLabels;
    const write = component('loki.write', L.write, [
      block('endpoint', [
        attr('url', p.pushUrl),
        // A batch goes when it is this old or this big (internal/component/common/loki/client/batch.go).
        // Alloy's 1s wait would be most of a line's print-to-queryable time; 200ms keeps it well under
        // half a second, at most five pushes a second of a few lines each, which a local Loki takes.
        attr('batch_wait', '200ms'),
        // Alloy's default (1MiB): a burst's catch-up then goes in few, large pushes. 256KiB (Promtail's
        // generated size) measured no faster on the real Alloy and Loki (LOGGING.md "Measured").
        attr('batch_size', '1MiB'),
      ]),
    ]);
    const stages = pipelineStages(p.logFormats?.() ?? []);
    const process = stages.length
      ? component('loki.process', L.process, [attr('forward_to', [exportOf(write, 'receiver')]), ...stages.map(alloyStage)])
      : undefined;
    const discovery = component('discovery.docker', L.discovery, [
      ...attrs({ host: COLLECTOR_DOCKER_HOST, refresh_interval: p.refreshInterval.toGoString() }),
      block('filter', attrs({ name: 'label', values: [`${engine.project}=${p.project}`] })),
    ]);
    // The rules run in loki.source.docker (relabel_rules), not on discovery's output: the stream
    // (`__meta_docker_container_log_stream`) is only known there (loki/source/docker/tailer.go), as in
    // what `alloy convert` makes of Promtail's docker_sd_configs. discovery.relabel only holds them.
    const relabel = component('discovery.relabel', L.relabel, [
      attr('targets', []),
      ...collectedLabelRules(engine, p.project).map((r) =>
        block('rule', attrs({ source_labels: [...r.source_labels], regex: r.regex, target_label: r.target_label, replacement: r.replacement })),
      ),
    ]);
    const source = component('loki.source.docker', L.source, [
      ...attrs({
        host: COLLECTOR_DOCKER_HOST,
        targets: exportOf(discovery, 'targets'),
        forward_to: [exportOf(process ?? write, 'receiver')],
        relabel_rules: exportOf(relabel, 'rules'),
      }),
    ]);
    const otlp = p.otlp ? otlpComponents(p.otlp, p.project) : [];
    return [
      // Alloy's own log: logfmt, as Loki's and Promtail's, so the stack's go-kit log format parses it.
      block('logging', attrs({ level: 'info', format: 'logfmt' })),
      discovery,
      relabel,
      source,
      ...(process ? [process] : []),
      write,
      ...otlp,
    ];
  }
}

/**
 * OTLP logs in, Loki's native OTLP endpoint out: Loki maps `service.name` to the `service_name` label
 * and keeps the other resource attributes of its default list as labels and the rest as structured
 * metadata (docs/sources/send-data/otel/_index.md of grafana/loki 3.7). otlphttp adds `/v1/logs`
 * to the endpoint (otlphttpexporter: the logs URL is the endpoint plus `/v1/logs`).
 */
function otlpComponents(o: AlloyOtlpSettings, project: string): AlloyBlock[] {
  const L = ALLOY_LABELS;
  const exporter = component('otelcol.exporter.otlphttp', L.otlp, [block('client', [attr('endpoint', o.lokiOtlpUrl)])]);
  const batch = component('otelcol.processor.batch', L.otlp, [block('output', [attr('logs', [exportOf(exporter, 'input')])])]);
  // Every log received gets the project as a resource attribute, which Loki keeps as the
  // `compose_project` label (Loki's otlp_config, see AlloyOtlpSettings): the stack's dashboards and
  // `aixcl-logs` select on it, and would never show these logs without it. The attributes processor
  // writes log-record attributes only; groupbyattrs then moves the key up to the resource
  // (opentelemetry-collector-contrib processor/groupbyattrsprocessor, processLogs: grouped keys are
  // deleted from the record and added to a copy of its resource). `upsert`: a value the sender set is
  // replaced, as logs that reach this intake are the stack's (otelcol/config_attraction.go).
  const group = component('otelcol.processor.groupbyattrs', L.otlp, [
    attr('keys', [OTLP_PROJECT_ATTRIBUTE]),
    block('output', [attr('logs', [exportOf(batch, 'input')])]),
  ]);
  const stamp = component('otelcol.processor.attributes', L.otlp, [
    block('action', attrs({ key: OTLP_PROJECT_ATTRIBUTE, value: project, action: 'upsert' })),
    block('output', [attr('logs', [exportOf(group, 'input')])]),
  ]);
  const receiver = component('otelcol.receiver.otlp', L.otlp, [
    block('grpc', [attr('endpoint', `${o.listenAddress}:${o.grpcPort}`)]),
    block('http', [attr('endpoint', `${o.listenAddress}:${o.httpPort}`)]),
    // Logs only: traces and metrics over OTLP are not collected by this stack.
    block('output', [attr('logs', [exportOf(stamp, 'input')])]),
  ]);
  return [receiver, stamp, group, batch, exporter];
}

/** The selectors of every `stage.match` block, with where each is. */
function matchSelectors(statements: readonly AlloyStatement[], at: readonly string[]): Array<{ path: string; selector: string }> {
  const out: Array<{ path: string; selector: string }> = [];
  for (const s of statements) {
    if (s.kind !== 'block') continue;
    const here = [...at, idOf(s)];
    const selector = s.body.find((x) => x.kind === 'attribute' && x.name === 'selector');
    if (s.name === 'stage.match' && selector?.kind === 'attribute' && typeof selector.value === 'string')
      out.push({ path: here.join(' > '), selector: selector.value });
    out.push(...matchSelectors(s.body, here));
  }
  return out;
}

/** `name "label"`, as a component is written (and named in messages). */
function idOf(b: AlloyBlock): string {
  return b.label === undefined ? b.name : `${b.name} "${b.label}"`;
}

/**
 * The block with `value` set at `path` (nested block names, then the attribute). A nested block's name may
 * hold dots (`stage.match`): the longest run of parts that names a block of the body is taken; the first
 * block of that name, as Alloy has no other way to address it.
 */
function override(b: AlloyBlock, path: readonly string[], value: AlloyValue | undefined): AlloyBlock {
  if (path.length === 1) {
    const [name] = path;
    const body = b.body.filter((s) => !(s.kind === 'attribute' && s.name === name));
    return { ...b, body: value === undefined ? body : [...body, attr(name, value)] };
  }
  for (let k = path.length - 1; k >= 1; k--) {
    const name = path.slice(0, k).join('.');
    const i = b.body.findIndex((s) => s.kind === 'block' && s.name === name);
    if (i < 0) continue;
    const body = [...b.body];
    body[i] = override(body[i] as AlloyBlock, path.slice(k), value);
    return { ...b, body };
  }
  return { ...b, body: [...b.body, override(block(path[0], []), path.slice(1), value)] };
}

/** Names that Alloy's parser refuses (syntax/scanner): the reference check needs them well-formed. */
function syntaxProblems(statements: readonly AlloyStatement[], at: readonly string[]): string[] {
  const problems: string[] = [];
  for (const s of statements) {
    const where = [...at, s.kind === 'block' ? idOf(s) : s.name].join(' > ');
    if (s.kind === 'attribute' && !isAlloyIdentifier(s.name)) problems.push(`${where}: '${s.name}' is not an identifier (letters, digits and '_')`);
    if (s.kind === 'block') {
      if (!isAlloyBlockName(s.name)) problems.push(`${where}: '${s.name}' is not a block name`);
      problems.push(...syntaxProblems(s.body, [...at, idOf(s)]));
    }
  }
  return problems;
}
