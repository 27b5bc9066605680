/*
 * The names the programs of the stack accept, one pattern each, as each program writes its rule.
 */

/** Service names Compose accepts (compose-spec schema: services' `patternProperties` `^[a-zA-Z0-9._-]+$`). */
export const SERVICE_NAME_PATTERN = /^[a-zA-Z0-9._-]+$/;

/**
 * Volume and network names Docker accepts (moby daemon/names: `RestrictedNamePattern`,
 * `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`), checked here on the name before Compose prefixes the project and `_`,
 * so one character is enough.
 */
export const RESOURCE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/**
 * Compose project names (compose-go loader: "must contain only lowercase letters, decimal digits,
 * dashes, and underscores, and must begin with a lowercase letter or decimal digit").
 */
export const PROJECT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** Prometheus label names, as Prometheus, Alertmanager, Loki and Promtail check them (prometheus/common model: LabelNameRE). */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus metric names (prometheus/common model: MetricNameRE), which recording rules' `record` must be. */
export const METRIC_NAME_PATTERN = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
