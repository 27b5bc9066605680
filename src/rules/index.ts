export * from './logql-analysis.js';
export * from './log-metric.js';
export * from './rule-expression-check.js';
export * from './loki-rule.js';
export * from './log-alert-rule.js';
export * from './log-recording-rule.js';
export * from './rule-file-schema.js';
export * from './rule-group.js';
