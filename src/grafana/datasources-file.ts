import { z } from 'zod';
import { DATASOURCE_UID_PATTERN, GrafanaHost } from './datasource-base.js';
import { ProvisioningFile } from './provisioning-file.js';

const ID = 'DatasourcesFile';

// What Grafana's datasource provisioning needs of each entry; other keys pass through.
const DATASOURCES_SCHEMA = z.strictObject({
  apiVersion: z.literal(1),
  prune: z.boolean().optional(),
  datasources: z.array(
    z.looseObject({
      name: z.string().min(1),
      type: z.string().min(1),
      uid: z.string().regex(DATASOURCE_UID_PATTERN),
      access: z.enum(['proxy', 'direct']),
      url: z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL'),
      isDefault: z.boolean().optional(),
      editable: z.boolean().optional(),
      jsonData: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

/**
 * The Grafana's one datasources provisioning file, listing every datasource
 * it provisions (Loki, Prometheus, ...). Created with the Grafana.
 */
export class DatasourcesFile extends ProvisioningFile {
  /** The datasources file of a Grafana (created on first use). */
  public static of(grafana: GrafanaHost): DatasourcesFile {
    return (grafana.node.tryFindChild(ID) as DatasourcesFile | undefined) ?? new DatasourcesFile(grafana);
  }

  private constructor(private readonly grafana: GrafanaHost) {
    super(grafana, ID, { filePath: `${grafana.provisioningDirectory}/datasources/loki-datasource.yml` });
  }

  protected buildDocument(): unknown {
    return {
      apiVersion: 1,
      // Removes datasources that an earlier version of this file provisioned and this one no longer lists.
      prune: true,
      // A stand-in whose uid or name has a recorded problem is left out (the file is not written then).
      datasources: this.grafana.datasources.filter((d) => d._provisioned).map((d) => d._toProvisioning()),
    };
  }

  protected override checkDocument(doc: unknown): void {
    const r = DATASOURCES_SCHEMA.safeParse(doc);
    if (!r.success) {
      this.fail(
        `the datasources file is not what Grafana reads${this.hasOverrides ? ' (check overrides)' : ''}: ${r.error.issues.map((i) => `${i.path.join('.') || '/'}: ${i.message}`).join('; ')}`,
      );
    }
    const list = r.data.datasources;
    const defaults = list.filter((d) => d.isDefault).map((d) => d.uid);
    if (defaults.length > 1) {
      // Grafana refuses to start provisioning with two defaults in one organization.
      this.fail(`datasources ${defaults.join(' and ')} are all marked isDefault: Grafana allows one default datasource; keep isDefault on one`);
    }
    for (const key of ['uid', 'name'] as const) {
      const seen = new Set<string>();
      for (const d of list) {
        if (seen.has(d[key])) this.fail(`two datasources have the ${key} '${d[key]}': each must have its own`);
        seen.add(d[key]);
      }
    }
  }
}
