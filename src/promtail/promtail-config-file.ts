import { Construct, type IConstruct } from 'constructs';
import { Duration } from '../core/duration.js';
import { DocumentFile } from '../core/generated-file.js';
import { Stack } from '../core/stack.js';
import { unbracket } from '../services/listen-address.js';
import { promtailConfigIssues } from './promtail-config-schema.js';
import { checkLogQL, type CheckLogQLOptions } from '../grafana/logql.js';
import { pipelineStages, type ServiceLogFormat } from '../collector/log-pipeline.js';
import { COLLECTED_LOG_LABELS, COLLECTOR_DOCKER_HOST, collectedLabelRules, type CollectedLogLabel } from '../collector/collected-labels.js';

/** Name of the scrape job that discovers the project's containers. */
export const PROMTAIL_DOCKER_JOB = 'docker';

/** @deprecated the labels are the collectors' (src/collector/collected-labels.ts): use COLLECTED_LOG_LABELS. */
export const PROMTAIL_LOG_LABELS = COLLECTED_LOG_LABELS;
/** @deprecated use CollectedLogLabel. */
export type PromtailLogLabel = CollectedLogLabel;
/** @deprecated use COLLECTOR_DOCKER_HOST. */
export const PROMTAIL_DOCKER_HOST = COLLECTOR_DOCKER_HOST;

/** Props of a {@link PromtailConfigFile}. */
export interface PromtailConfigFileProps {
  /** Loki's push endpoint, ending in `/loki/api/v1/push`. */
  readonly pushUrl: string;
  /** The construct the push URL comes from (the Loki's service), whose checks report a mistake in it there. */
  readonly pushUrlFrom?: IConstruct;
  /** Compose project whose containers are collected (the discovery filter). */
  readonly project: string;
  /** Port of Promtail's HTTP server. */
  readonly port: number;
  /** Address Promtail's HTTP and gRPC servers listen on (an IPv6 literal may come bracketed; it is written bare). */
  readonly listenAddress: string;
  /** Positions file, inside a directory on a volume (a bind-mounted file breaks on rename). */
  readonly positionsFile: string;
  /** How often Docker discovery looks for new containers. */
  readonly refreshInterval: Duration;
  /**
   * The log formats of the collected services, read when the file is
   * written (services may be added after the collector).
   * @default no formats: every line is stored as it is
   */
  readonly logFormats?: () => readonly ServiceLogFormat[];
  /**
   * What the `match` stages' selectors may select on (the Loki's labels and their values, as
   * {@link checkLogQL} takes them), read when the file is checked.
   * @default selectors are checked for syntax only (by the stage schema)
   */
  readonly selectorContext?: () => CheckLogQLOptions;
  /**
   * Output path relative to the stack's directory.
   * @default 'promtail/promtail-config.yml'
   */
  readonly filePath?: string;
}

/**
 * Promtail's configuration: collects the logs of every container of one
 * Compose project through the Docker API and pushes them to Loki. The final
 * document (after overrides) is checked against {@link PromtailConfigSchema}.
 */
export class PromtailConfigFile extends DocumentFile {
  public readonly pushUrl: string;
  public readonly project: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: PromtailConfigFileProps,
  ) {
    super(scope, id, { filePath: props.filePath ?? 'promtail/promtail-config.yml' });
    this.pushUrl = props.pushUrl;
    this.project = props.project;
  }

  protected buildDocument(): unknown {
    const p = this.props;
    // Which container labels carry the project, the service and the node follows from the target (src/core/target.ts).
    const engine = Stack.of(this).projectLabels;
    // dskit joins address and port itself (net.JoinHostPort), so an IPv6
    // literal must be bare: '[::1]' would become '[[::1]]:9080'.
    const listenAddress = unbracket(p.listenAddress);
    const stages = pipelineStages(p.logFormats?.() ?? []);
    return {
      server: {
        http_listen_address: listenAddress,
        http_listen_port: p.port,
        // dskit always opens the gRPC listener, which Promtail does not use:
        // a random port, but on the same address as HTTP, or under host
        // networking it would listen on every interface of the host.
        grpc_listen_address: listenAddress,
        grpc_listen_port: 0,
        // Otherwise /ready answers 500 until a target exists: a project with
        // no containers yet would leave Promtail unhealthy.
        health_check_target: false,
        log_level: 'info',
      },
      positions: { filename: p.positionsFile },
      clients: [
        {
          url: p.pushUrl,
          // A batch is sent when it is this old or this big, whichever comes first
          // (clients/pkg/promtail/client/client.go). Promtail's 1s wait was most of a line's
          // print-to-queryable time; 200ms keeps it well under half a second, for at most five
          // pushes a second of a few lines each, which a local Loki takes without effort.
          batchwait: '200ms',
          // Only a catch-up (a container's history read at once) fills a batch: a quarter of
          // Promtail's 1 MiB bounds the memory a batch holds, at four times the requests then.
          batchsize: 256 * 1024,
        },
      ],
      scrape_configs: [
        {
          job_name: PROMTAIL_DOCKER_JOB,
          // The Docker target reads logs through the API, so no `docker: {}`
          // stage (that one parses json-file log files) is needed.
          docker_sd_configs: [
            {
              host: COLLECTOR_DOCKER_HOST,
              refresh_interval: p.refreshInterval.toGoString(),
              filters: [{ name: 'label', values: [`${engine.project}=${p.project}`] }],
            },
          ],
          relabel_configs: collectedLabelRules(engine, p.project),
          ...(stages.length ? { pipeline_stages: stages } : {}),
        },
      ],
    };
  }

  protected override checkDocument(doc: unknown): void {
    const issues = promtailConfigIssues(doc);
    if (!issues.length && this.props.selectorContext) {
      // A match stage whose selector no stream satisfies never runs (stages/match.go): the same check as
      // every LogQL of the tree, over the labels and values the lines have at that point.
      const context = this.props.selectorContext();
      for (const { path, selector } of matchSelectors(doc)) {
        const problem = checkLogQL(selector, context);
        if (problem) issues.push({ path, text: `${path.join('.')}.selector: ${problem}` });
      }
    }
    if (issues.length) this.failWithIssues(`the Promtail config would not load${this.hasOverrides ? ' (check overrides)' : ''}`, issues);
  }

  protected override sourceOf(path: readonly PropertyKey[]): IConstruct | undefined {
    return path[0] === 'clients' && path[2] === 'url' ? this.props.pushUrlFrom : undefined;
  }
}

/** The selectors of every `match` stage of the document's scrape configs, with where each is. */
function matchSelectors(doc: unknown): Array<{ path: PropertyKey[]; selector: string }> {
  const out: Array<{ path: PropertyKey[]; selector: string }> = [];
  const walk = (stages: unknown, at: PropertyKey[]) => {
    if (!Array.isArray(stages)) return;
    stages.forEach((stage, i) => {
      const match = (stage as { match?: { selector?: unknown; stages?: unknown } } | null)?.match;
      if (!match) return;
      if (typeof match.selector === 'string') out.push({ path: [...at, i, 'match'], selector: match.selector });
      walk(match.stages, [...at, i, 'match', 'stages']);
    });
  };
  const jobs = (doc as { scrape_configs?: unknown } | null)?.scrape_configs;
  if (Array.isArray(jobs))
    jobs.forEach((job, j) => walk((job as { pipeline_stages?: unknown } | null)?.pipeline_stages, ['scrape_configs', j, 'pipeline_stages']));
  return out;
}
