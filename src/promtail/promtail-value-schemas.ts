import { LISTEN_PORT_MIN, PORT_MAX } from '../core/port.js';
import { z } from 'zod';
import { isGoDuration, isModelDuration } from '../core/go-duration.js';
import { LABEL_NAME_PATTERN } from '../core/name-patterns.js';

/** Go's `time.ParseDuration` (server timeouts, batchwait, sync periods). */
export const goDuration = z.string().refine(isGoDuration, 'expected a Go duration such as 500ms, 10s or 1h30m (no days)');

/** Prometheus' `model.Duration` (discovery refresh intervals). */
export const promDuration = z.string().refine(isModelDuration, 'expected a Prometheus duration such as 5s, 1m or 1h30m (whole numbers, largest unit first)');

/** A port Promtail listens on: 0 is any free one (core/port.ts). */
export const port = z.int().min(LISTEN_PORT_MIN).max(PORT_MAX);
export const labelName = z.string().regex(LABEL_NAME_PATTERN, 'expected a label name ([a-zA-Z_][a-zA-Z0-9_]*)');
/** A mapping checked for its shape only (blocks this library does not model key by key). */
export const anyBlock = z.record(z.string(), z.unknown());
