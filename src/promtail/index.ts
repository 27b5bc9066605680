export * from './promtail-server-schema.js';
export * from './promtail-config-schema.js';
export * from './promtail-config-file.js';
export * from './promtail.js';
