export * from './collected-labels.js';
export * from './log-collector.js';
export * from './log-pipeline.js';
export * from './produced-labels.js';
export * from './bash-ready-probe.js';
export * from './collector-props.js';
export * from './stack-log-formats.js';
