export * from './docker-cli.js';
export * from './swarm-target.js';
export * from './swarm-state.js';
export * from './swarm-up.js';
export * from './swarm-down.js';
export * from './swarm-status.js';
