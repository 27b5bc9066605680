// The datasources of a Grafana: the common base and the kinds this library provisions.
export * from './datasource-base.js';
export * from './loki-datasource.js';
export * from './prometheus-datasource.js';
export * from './alertmanager-datasource.js';
