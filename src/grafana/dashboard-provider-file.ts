import { Stack } from '../core/stack.js';
import { GrafanaHost } from './datasource-base.js';
import { ProvisioningFile } from './provisioning-file.js';

const ID = 'DashboardProviderFile';

/**
 * The dashboard provider of a Grafana: loads every dashboard JSON file of the
 * provisioning `dashboards` directory. Created with the first dashboard.
 */
export class DashboardProviderFile extends ProvisioningFile {
  /** The provider file of a Grafana (created on first use). */
  public static of(grafana: GrafanaHost): DashboardProviderFile {
    return (grafana.node.tryFindChild(ID) as DashboardProviderFile | undefined) ?? new DashboardProviderFile(grafana);
  }

  /** Directory in the container that the provider reads dashboards from. */
  public readonly dashboardsPath: string;

  private constructor(private readonly grafana: GrafanaHost) {
    super(grafana, ID, { filePath: `${grafana.provisioningDirectory}/dashboards/dashboards.yml` });
    this.dashboardsPath = `${grafana.provisioningMountPath}/dashboards`;
  }

  protected buildDocument(): unknown {
    return {
      apiVersion: 1,
      providers: [
        {
          name: Stack.of(this.grafana).projectName,
          type: 'file',
          updateIntervalSeconds: 30,
          // The files are the source of truth: edits in the UI would be lost on the next synthesis.
          allowUiUpdates: false,
          disableDeletion: true,
          options: { path: this.dashboardsPath, foldersFromFilesStructure: false },
        },
      ],
    };
  }
}
