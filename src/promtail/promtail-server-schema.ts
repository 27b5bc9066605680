import { z } from 'zod';
import { LOKI_SIZE_PATTERN } from '../core/size.js';
import { LOKI_BLOCKS, type LokiKeyTree } from '../loki/loki-config-reference.js';
import { anyBlock, goDuration, port } from './promtail-value-schemas.js';

/*
 * Promtail's `server` block is dskit's server config (inlined) plus a few
 * keys of Promtail's own. Loki's `server` block is the same dskit struct, so
 * the dskit keys come from Loki's generated configuration reference instead
 * of a second hand-written list that could drift from it.
 */

/**
 * The Loki reference the exclusions below were checked against. When the
 * reference moves to another Loki, compare its dskit server config with the
 * one Promtail 3.6 vendors again, and update the exclusions.
 */
export const PROMTAIL_SERVER_CHECKED_AGAINST_LOKI = '3.7.6';

/**
 * dskit server keys in Loki's reference that Promtail 3.6 does not read: Loki
 * 3.7 vendors a newer dskit than Promtail 3.6.15 does (compared between
 * the two tags' vendor/github.com/grafana/dskit/server).
 */
export const PROMTAIL_SERVER_UNREAD_KEYS: readonly string[] = ['create_new_traces', 'cluster_validation.additional_labels'];

/** Keys Promtail's server config adds to dskit's (clients/pkg/promtail/server). */
const PROMTAIL_OWN_SERVER_KEYS = {
  external_url: z.string().optional(),
  // A pointer in Promtail: unset means true (/ready fails until a target exists).
  health_check_target: z.boolean().optional(),
  disable: z.boolean().optional(),
  profiling_enabled: z.boolean().optional(),
  enable_runtime_reload: z.boolean().optional(),
};

/** dskit keys whose values are narrower than the reference's kind says. */
const NARROWED_SERVER_KEYS = {
  http_listen_port: port.optional(),
  grpc_listen_port: port.optional(),
  http_listen_conn_limit: z.int().min(0).optional(),
  grpc_listen_conn_limit: z.int().min(0).optional(),
  grpc_server_max_recv_msg_size: z.int().min(0).optional(),
  grpc_server_max_send_msg_size: z.int().min(0).optional(),
  grpc_server_max_concurrent_streams: z.int().min(0).optional(),
  log_level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  log_format: z.enum(['logfmt', 'json']).optional(),
};

/** A key tree without the key at a dotted path (inline blocks only). */
function withoutKey(tree: LokiKeyTree, path: string): LokiKeyTree {
  const [head, ...rest] = path.split('.');
  const { [head]: child, ...others } = tree;
  if (!rest.length) return others;
  if (typeof child !== 'object' || child === null || Array.isArray(child)) return tree;
  return { ...others, [head]: withoutKey(child as LokiKeyTree, rest.join('.')) };
}

/** The strict schema of one value of a key tree. */
function valueSchema(value: LokiKeyTree[string]): z.ZodType {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return keyTreeSchema(value as LokiKeyTree);
  switch (value) {
    case 'boolean':
      return z.boolean();
    case 'string':
      return z.string();
    case 'int':
      return z.int();
    case 'size':
      // dskit's byte sizes: bytes, or a size with a unit (core/size.ts).
      return z.union([z.int().min(0), z.string().regex(LOKI_SIZE_PATTERN)]);
    case 'float':
      return z.number();
    case 'duration':
      // dskit's durations are Go's time.Duration (no `d` or `w`).
      return goDuration;
    case 'string[]':
      return z.array(z.string());
    case 'list':
      return z.array(z.unknown());
    case 'map':
    case 'block':
      return anyBlock;
    default:
      if (typeof value === 'string' && value.startsWith('@')) {
        const list = value.endsWith('[]');
        const named = LOKI_BLOCKS[value.slice(1, list ? -2 : undefined)];
        const block = named ? keyTreeSchema(named) : anyBlock;
        return list ? z.array(block) : block;
      }
      return z.unknown();
  }
}

/** The fields of a key tree, every one optional, with its `$include`d blocks inlined. */
function keyTreeShape(tree: LokiKeyTree): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const name of tree.$include ?? []) Object.assign(shape, keyTreeShape(LOKI_BLOCKS[name] ?? {}));
  for (const [key, value] of Object.entries(tree)) {
    if (!key.startsWith('$')) shape[key] = valueSchema(value).optional();
  }
  return shape;
}

/** A strict object schema (unknown keys rejected, as Go's UnmarshalStrict does) of a key tree. */
function keyTreeSchema(tree: LokiKeyTree): z.ZodType {
  return tree.$map ? anyBlock : z.strictObject(keyTreeShape(tree));
}

const dskitServerKeys = PROMTAIL_SERVER_UNREAD_KEYS.reduce(withoutKey, LOKI_BLOCKS.server ?? {});

/** The `server` block: dskit's server config as Promtail 3.6 reads it, plus Promtail's own keys. */
export const PromtailServerSchema = z.strictObject({
  ...keyTreeShape(dskitServerKeys),
  ...NARROWED_SERVER_KEYS,
  ...PROMTAIL_OWN_SERVER_KEYS,
});
