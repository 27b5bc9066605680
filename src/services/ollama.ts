import { Construct } from 'constructs';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { listenHostPort } from './listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';

/** Props of {@link Ollama}. */
export interface OllamaProps {
  /** @default 'ollama/ollama:0.12.3' */
  readonly image?: string;
  /** @default 'ollama' */
  readonly serviceName?: string;
  /** @default 11434 */
  readonly port?: number;
  /**
   * Memory limit. A loaded model needs about as much memory as it is large,
   * so a fixed default would make bigger models fail to load.
   * @default no limit
   */
  readonly memoryLimit?: Size;
}

/** The Ollama model server. Models are kept in a named volume. */
export class Ollama extends Construct {
  public readonly service: Service;
  public readonly dataVolume: Volume;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: OllamaProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'ollama';
    this.port = props.port ?? 11434;
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${serviceName}-data` });
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'ollama/ollama:0.12.3',
      serviceName,
      // The server listens on OLLAMA_HOST, and the `ollama` client in the healthcheck dials the same variable.
      environment: { OLLAMA_HOST: listenHostPort(stack, this.port) },
      ports: [{ containerPort: this.port }],
      // The image has neither curl nor wget: `ollama list` asks the running server, and fails while it is down.
      healthcheck: Healthcheck.command(['ollama', 'list'], {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(10),
      }),
      memoryLimit: props.memoryLimit,
    });
    configureSwarm(this.service, {
      unauthenticated:
        'the Ollama API has no authentication (anyone who reaches it can run and pull models): remove the published port (Open WebUI reaches it over the overlay network), or put an authenticating reverse proxy in front of it',
    });
    this.service.addVolume(this.dataVolume, '/root/.ollama');
  }

  /** Base URL of the Ollama API for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
