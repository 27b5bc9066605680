export * from './loki.js';
export * from './loki-config-file.js';
export * from './loki-config-schema.js';
export * from './loki-config-reference.js';
export * from './loki-healthcheck.js';
