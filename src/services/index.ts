export * from './listen-address.js';
export * from './ollama.js';
export * from './open-webui.js';
export * from './postgres.js';
export * from './pgadmin.js';
export * from './cadvisor.js';
export * from './node-exporter.js';
export * from './postgres-exporter.js';
