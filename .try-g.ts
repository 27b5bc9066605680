import { App, Stack, NetworkMode, Testing } from './src/index.js';
import { Loki } from './src/loki/index.js';
import { Promtail } from './src/promtail/index.js';
import { Prometheus } from './src/prometheus/index.js';
import { Grafana } from './src/grafana/index.js';
const app = new App();
const s = new Stack(app, 'aixcl', { networkMode: NetworkMode.BRIDGE });
const loki = new Loki(s, 'loki');
new Promtail(s, 'promtail', { loki });
const prom = new Prometheus(s, 'prometheus');
const g = new Grafana(s, 'grafana');
const pds = g.addPrometheusDatasource({ prometheus: prom, isDefault: true });
const lds = g.addLokiDatasource({ loki, metrics: pds });
const logs = g.addLogsDashboard({ datasource: lds });
g.addContainerMetricsDashboard({ datasource: pds, logs });
const files = Testing.synth(s);
for (const f of Object.keys(files)) if (f.startsWith('grafana')) { console.log('=== ' + f); console.log(files[f].length > 5000 ? files[f].slice(0, 5000) : files[f]); }
const compose = files['docker-compose.yml']; console.log(compose.slice(compose.indexOf('  grafana:'), compose.indexOf('  grafana:') + 1600));
