export * from './alloy-syntax.js';
export * from './alloy-pipeline.js';
export * from './alloy-config-file.js';
export * from './alloy-produced-labels.js';
export * from './alloy.js';
