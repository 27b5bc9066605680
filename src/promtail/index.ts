export * from './promtail-server-schema.js';
export * from './promtail-config-schema.js';
export * from './promtail-config-file.js';
export * from './promtail.js';
export * from './promtail-stage-schema.js';

export * from './promtail-produced-labels.js';
export * from './promtail-config-keys.js';
