export * from './alertmanager.js';
export * from './alertmanager-config-file.js';
export * from './alertmanager-config-schema.js';
export * from './receiver.js';
