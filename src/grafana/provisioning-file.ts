import { DocumentFile } from '../core/generated-file.js';

/**
 * A YAML file that Grafana's provisioning reads. Grafana expands `$NAME` and
 * `${NAME}` from its environment in every value of these files, so a literal
 * `$` (as in `${__value.raw}` or `$__rate_interval`) must be written `$$`:
 * this class writes every string that way, after overrides, so no value can
 * be silently replaced by an (empty) environment variable.
 */
export abstract class ProvisioningFile extends DocumentFile {
  /** The document as written: every `$` in a string value doubled. */
  public override document(): unknown {
    return escapeDollars(super.document());
  }
}

/** Doubles `$` in every string value (keys are not expanded by Grafana). */
export function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  }
  return value;
}
