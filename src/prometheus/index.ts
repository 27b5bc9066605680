export * from './prometheus.js';
export * from './prometheus-config-file.js';
export * from './prometheus-config-schema.js';
export * from './prometheus-duration.js';
export * from './promql.js';
