export * from './value-match.js';
export * from './log-label-values.js';
export * from './prometheus-label-values.js';
export * from './alert-labels.js';
export * from './route-check.js';
