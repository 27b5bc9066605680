import { Construct } from 'constructs';
import { Duration } from '../core/duration.js';
import { DocumentFile } from '../core/generated-file.js';
import type { ImageVersion } from '../core/image.js';
import { LOKI_REFERENCE_VERSION } from './loki-config-reference.js';
import { checkLokiConfig, type LokiConfigDocument } from './loki-config-schema.js';
import { unbracket } from '../services/listen-address.js';

/** Where the data of Loki lives in its container (a named volume is mounted there). */
export const LOKI_DATA_DIR = '/loki';

/**
 * First day of the one schema period. A fixed day in the past keeps the file
 * deterministic; it must never change for an existing volume, since Loki finds
 * stored data through it.
 */
export const LOKI_SCHEMA_FROM = '2024-01-01';

/**
 * Where the ruler's local rule storage is: its `<directory>/<tenant>/*.yml` files are rule namespaces.
 * Beside the configuration, not on the data volume: the rule files are a read-only bind mount, and
 * Docker would create a mount point inside the volume (here `/loki/rules`) as root, which Loki, as
 * uid 10001, could then not write (loki#9753: `mkdir /loki/rules: permission denied`).
 */
export const LOKI_RULES_DIR = '/etc/loki/rules';

/** What the config file needs to know of the ruler (see `LokiRulerProps`). */
export interface LokiRulerSettings {
  readonly evaluationInterval: Duration;
  /** @default alerts are evaluated but sent nowhere */
  readonly alertmanagerUrl?: string;
  /** Prometheus's remote-write endpoint for recording rules. @default recording rules write nowhere */
  readonly remoteWriteUrl?: string;
}

/** Props of a {@link LokiConfigFile}. */
export interface LokiConfigFileProps {
  /**
   * Path of the file in the output directory.
   * @default 'loki/loki-config.yml'
   */
  readonly filePath?: string;
  /** HTTP port (push, query, /ready, /metrics). */
  readonly httpPort: number;
  /** gRPC port (Loki's components talk to each other over it, even in one process). */
  readonly grpcPort: number;
  /** Address Loki listens on: `0.0.0.0` in a container of its own, the bind address on host networking. */
  readonly listenAddress: string;
  /** How long logs are kept. At least 24h. */
  readonly retention: Duration;
  /**
   * Version of the Loki that reads the file (decides which top-level blocks are known).
   * @default the version the schema was written from
   */
  readonly version?: ImageVersion;
  /**
   * The ruler's settings, read when the file is rendered (rule groups are added after Loki).
   * @default no ruler block
   */
  readonly ruler?: () => LokiRulerSettings | undefined;
  /**
   * OTLP resource attributes to keep as index labels besides Loki's default list, read when the file
   * is rendered (the collector that receives OTLP is added after Loki).
   * @default none: Loki's defaults only
   */
  readonly otlpResourceLabels?: () => readonly string[];
}

/**
 * The configuration of a single-binary Loki 3: TSDB index and chunks on the
 * local filesystem, retention by the compactor, no multi-tenancy. The final
 * document (after {@link addOverride}) is checked against Loki's configuration
 * reference, so a key Loki would refuse at startup fails synthesis instead.
 */
export class LokiConfigFile extends DocumentFile {
  private readonly props: LokiConfigFileProps;

  constructor(scope: Construct, id: string, props: LokiConfigFileProps) {
    super(scope, id, { filePath: props.filePath ?? 'loki/loki-config.yml' });
    this.props = props;
  }

  protected buildDocument(): LokiConfigDocument {
    const { httpPort, grpcPort, retention } = this.props;
    const listen = unbracket(this.props.listenAddress);
    const retentionString = retention.toGoString();
    // Accepting lines older than the retention would only have the compactor delete them again.
    const maxAge = Math.min(retention.milliseconds, Duration.days(7).milliseconds);
    return {
      // One tenant ('fake'): a local stack has no X-Scope-OrgID to send.
      auth_enabled: false,
      server: {
        http_listen_address: listen,
        http_listen_port: httpPort,
        grpc_listen_address: listen,
        grpc_listen_port: grpcPort,
        log_level: 'info',
      },
      common: {
        // The address put in the ring, which Loki dials over gRPC to reach itself:
        // loopback unless it listens on one address only (host networking on a LAN address).
        instance_addr: isWildcard(listen) ? '127.0.0.1' : listen,
        path_prefix: LOKI_DATA_DIR,
        storage: {
          filesystem: {
            chunks_directory: `${LOKI_DATA_DIR}/chunks`,
            rules_directory: `${LOKI_DATA_DIR}/rules`,
          },
        },
        replication_factor: 1,
        ring: { kvstore: { store: 'inmemory' } },
      },
      schema_config: {
        configs: [
          {
            from: LOKI_SCHEMA_FROM,
            // tsdb + v13: what structured metadata and retention need; the index period must be 24h for both.
            store: 'tsdb',
            object_store: 'filesystem',
            schema: 'v13',
            index: { prefix: 'index_', period: '24h' },
          },
        ],
      },
      compactor: {
        working_directory: `${LOKI_DATA_DIR}/compactor`,
        compaction_interval: '10m',
        retention_enabled: true,
        // Time to undo a retention change before chunks are really deleted (Loki's default, written out).
        retention_delete_delay: '2h',
        // Required with retention_enabled: Loki refuses to start without it.
        delete_request_store: 'filesystem',
      },
      limits_config: {
        retention_period: retentionString,
        // Never offer queries over a range whose logs are already deleted.
        max_query_lookback: retentionString,
        reject_old_samples: true,
        reject_old_samples_max_age: Duration.millis(maxAge).toGoString(),
        // Needs tsdb + v13 (above); Loki 3's default, written out so the schema rule is visible.
        allow_structured_metadata: true,
        // Sized for one machine, one tenant and one collector:
        // twice Loki's 4 MB/s (burst 6 MB) so a collector catching up after a restart is not
        // throttled with 429s, still far below what fills a 512 MiB Loki.
        ingestion_rate_mb: 8,
        ingestion_burst_size_mb: 16,
        per_stream_rate_limit: '4MB',
        per_stream_rate_limit_burst: '16MB',
        // Loki's default; a handful of containers use a few dozen streams, so hitting it means a
        // label with unbounded values (e.g. a container id) crept in.
        max_global_streams_per_user: 5000,
        // A very long line (a dumped prompt, a stack of JSON) is cut rather than dropped with its batch.
        max_line_size: '256KB',
        max_line_size_truncate: true,
        // Cluster-sized defaults (32 and 128) only queue work a 2-core machine cannot run at once.
        max_query_parallelism: 8,
        tsdb_max_query_parallelism: 16,
        // Loki's defaults, written out: Grafana asks for 1000 lines by default.
        max_entries_limit_per_query: 5000,
        max_query_series: 500,
        // Grafana Logs Drilldown (docs/sources/get-started/labels/structured-metadata.md, "When to use
        // structured metadata"; the quick-start tutorial's config): the volume endpoints it charts
        // with, and detected levels. The collector stores each line's normalized `level` as
        // structured metadata, and Loki copies it into `detected_level` (field_detection.go,
        // extractLogLevel: a `level` field is used before any guess from the text).
        volume_enabled: true,
        discover_log_levels: true,
        // The collector sets service_name to the compose service on every stream; for streams
        // pushed by anything else, derive it from the compose service before the container name.
        discover_service_name: ['compose_service', 'service', 'app', 'container'],
        ...otlpLimits(this.props.otlpResourceLabels?.() ?? []),
      },
      // Footprint (measured target: under 75 MiB resident after 5,000 lines, see bench/pipeline.ts).
      // Loki enables an embedded cache of 100 MB for chunks and for each kind of query result when
      // none is configured (config_wrapper.go, applyEmbeddedCacheConfig): small ones instead. Chunks
      // come from the local disk, which the kernel's page cache already keeps; the result caches
      // only need a dashboard's worth of recent answers.
      chunk_store_config: { chunk_cache_config: { embedded_cache: { enabled: true, max_size_mb: 8 } } },
      query_range: { results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: 8 } } } },
      ingester: {
        // An idle stream's chunk leaves memory after 5 minutes instead of 30 (Loki's default): a
        // service that logs once a minute no longer keeps a half-empty chunk for half an hour.
        chunk_idle_period: '5m',
        // Replaying the WAL after a restart flushes chunks to disk beyond this much memory
        // (default 4GB, far above the container's limit).
        wal: { replay_memory_ceiling: '64MB' },
      },
      // Drilldown's Patterns tab reads the pattern ingester (off by default). It joins the ring of
      // `common.ring` (config_wrapper.go applies it to the pattern ingester's lifecycler).
      pattern_ingester: { enabled: true },
      ...rulerBlock(this.props.ruler?.()),
      // Loki reports usage statistics to Grafana Labs by default; a local stack sends nothing out.
      analytics: { reporting_enabled: false },
    };
  }

  protected override checkDocument(doc: unknown): void {
    // Without overrides the retention is the Loki construct's `retention`, which the Loki reports itself
    // (at its path, with the typed fix): counted once, not again here.
    const problems = checkLokiConfig(doc, { version: this.props.version }).filter(
      (p) => this.hasOverrides || !p.startsWith('`limits_config.retention_period`'),
    );
    if (problems.length) {
      const v = this.props.version ? `${this.props.version.major}.${this.props.version.minor}` : LOKI_REFERENCE_VERSION;
      this.fail(`the Loki configuration would not load in Loki ${v}${this.hasOverrides ? ' (check addOverride calls)' : ''}: ${problems.join('; ')}`);
    }
  }
}

/**
 * The ruler of a single binary (Loki's docs/sources/alert/_index.md and the
 * `ruler` block of docs/sources/shared/configuration.md, 3.7): rules from local
 * storage, every directory written where uid 10001 may write (loki#9753).
 */
function rulerBlock(r: LokiRulerSettings | undefined): Record<string, unknown> {
  if (!r) return {};
  return {
    ruler: {
      evaluation_interval: r.evaluationInterval.toGoString(),
      // Rule files of tenant T are read from <directory>/T/*.yml; each file is a namespace.
      // Local storage only reads rule files (pkg/ruler/rulestore/local: changes through the API are refused).
      storage: { type: 'local', local: { directory: LOKI_RULES_DIR } },
      // Where the ruler writes the rules it evaluates (path_prefix's default, written out): on the volume, writable.
      rule_path: `${LOKI_DATA_DIR}/rules-temp`,
      ...(r.alertmanagerUrl ? { alertmanager_url: r.alertmanagerUrl, enable_alertmanager_v2: true } : {}),
      // The /loki/api/v1/rules and /prometheus/api/v1/{rules,alerts} endpoints (read-only with local storage).
      enable_api: true,
      // The recording rules' WAL defaults to 'ruler-wal' relative to the working directory '/',
      // which uid 10001 cannot write (pkg/ruler/storage/instance/instance.go): keep it on the volume.
      wal: { dir: `${LOKI_DATA_DIR}/ruler-wal` },
      ...(r.remoteWriteUrl ? { remote_write: { enabled: true, clients: { prometheus: { url: r.remoteWriteUrl } } } } : {}),
    },
  };
}

function isWildcard(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::' || addr === '';
}

/**
 * Loki turns a few OTLP resource attributes into index labels (service.name and others,
 * `distributor.otlp.default_resource_attributes_as_index_labels`) and stores the rest as structured
 * metadata. Attributes listed here are added as labels, their dots made underscores
 * (`compose.project` -> `compose_project`): pkg/loghttp/push/otlp_config.go (AttributesConfig,
 * ApplyGlobalOTLPConfig: the default list is kept first unless `ignore_defaults`) and otlp.go
 * (attributeToLabels: otlptranslator's LabelNamer) of grafana/loki v3.7.6.
 */
function otlpLimits(labels: readonly string[]): { otlp_config?: object } {
  if (!labels.length) return {};
  return { otlp_config: { resource_attributes: { attributes_config: [{ action: 'index_label', attributes: [...labels] }] } } };
}
