// Core
export * from './core/errors.js';
export * from './core/duration.js';
export * from './core/size.js';
export * from './core/image.js';
export * from './core/overrides.js';
export * from './core/generated-file.js';
export * from './core/stack.js';
export * from './core/target.js';
export * from './core/app.js';
export * from './core/synthesizer.js';
export * from './core/output-directory.js';
export * from './core/testing.js';
// Compose model
export * from './compose/secret.js';
export * from './compose/env-ref.js';
export * from './compose/volume.js';
export * from './compose/network.js';
export * from './compose/healthcheck.js';
export * from './compose/service.js';
export * from './compose/compose-file.js';
export * from './compose/compose-schema.js';
export * from './core/stack-file.js';
export * from './core/re2.js';
// Swarm target
export * from './swarm/swarm-settings.js';
export * from './swarm/swarm-stack.js';
export * from './swarm/swarm-schema.js';
// Logs
export * from './logging/log-level.js';
export * from './logformat/index.js';
export * from './loki/index.js';
export * from './collector/index.js';
export * from './promtail/index.js';
export * from './alloy/index.js';
// Log-based rules and alerting
export * from './rules/index.js';
export * from './alertmanager/index.js';
// Metrics and the AIXCL services
export * from './prometheus/index.js';
export * from './services/index.js';
// Grafana
export * from './grafana/index.js';
// Compositions
export * from './logging/log-level.js';
export * from './logging/logging.js';
export * from './aixcl/aixcl-stack.js';
export * from './aixcl/aixcl-alert-rules.js';
export * from './aixcl/logging-only-stack.js';
// The deploy API (dockerode) is a separate entry point, 'aixcl-cdk/deploy', so that synthesizing a
// stack does not load it.
