// The parts of @grafana/grafana-foundation-sdk that a custom dashboard needs, re-exported at the
// version aixcl-cdk is built and checked with: `import { dashboard, timeseries, prometheus } from
// 'aixcl-cdk/grafana-sdk'` needs no dependency of your own, and the builders are the very classes
// `Dashboard` takes (a second copy of the SDK at another version would be another type).
// A separate entry point, so that a stack that adds no panel does not load them.
export * as cog from '@grafana/grafana-foundation-sdk/cog';
export * as common from '@grafana/grafana-foundation-sdk/common';
export * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
export * as logs from '@grafana/grafana-foundation-sdk/logs';
export * as loki from '@grafana/grafana-foundation-sdk/loki';
export * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
export * as stat from '@grafana/grafana-foundation-sdk/stat';
export * as table from '@grafana/grafana-foundation-sdk/table';
export * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
