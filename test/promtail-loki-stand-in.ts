// TEMPORARY stand-in for src/loki (being written in parallel); replaced by the real Loki once it exists.
import { Construct } from 'constructs';
import { Service } from '../src/compose/service.js';
import { Volume } from '../src/compose/volume.js';
import { Duration } from '../src/core/duration.js';

export class Loki extends Construct {
  readonly service: Service;
  readonly dataVolume: Volume;
  readonly port = 3100;
  readonly retention = Duration.days(7);
  private readonly registered: Construct[] = [];
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.service = new Service(this, 'service', { image: 'grafana/loki:3.7.6', serviceName: 'loki', ports: [{ containerPort: 3100 }] });
    this.dataVolume = new Volume(this, 'data', { volumeName: 'loki-data' });
    this.service.addVolume(this.dataVolume, '/loki');
  }
  get url(): string { return this.service.url(3100); }
  get pushUrl(): string { return this.url + '/loki/api/v1/push'; }
  registerCollector(c: Construct): void { this.registered.push(c); }
  get collectors(): readonly Construct[] { return this.registered; }
}
