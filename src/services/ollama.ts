import { Construct } from 'constructs';
import { ollamaLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common } from '../core/value-schemas.js';
import { serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { listenHostPort } from './listen-address.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link OllamaProps} (see core/props.ts). */
export const ollamaSchema = propsSchema<OllamaProps>()(z.strictObject({ ...common }));

const OLLAMA = Symbol.for('aixcl-cdk.Ollama');

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
  /** True for Ollama constructs, across copies of this library. */
  public static isOllama(x: unknown): x is Ollama {
    return typeof x === 'object' && x !== null && OLLAMA in x;
  }

  public readonly service: Service;
  public readonly dataVolume: Volume;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: OllamaProps = {}) {
    super(checkedScope('Ollama', scope, id), id);
    Object.defineProperty(this, OLLAMA, { value: true });
    props = checkProps(this, ollamaSchema, props, serviceMakerContext('Ollama', Object.keys(ollamaSchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'ollama';
    this.port = props.port ?? 11434;
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${serviceName}-data` });
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'ollama/ollama:0.12.3',
      serviceName,
      // The server listens on OLLAMA_HOST, and the `ollama` client in the healthcheck dials the same variable.
      environment: { OLLAMA_HOST: listenHostPort(stack, this.port) },
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image has neither curl nor wget: `ollama list` asks the running server, and fails while it is down.
      healthcheck: Healthcheck.command(['ollama', 'list'], {
        interval: Duration.seconds(10),
        startPeriod: Duration.seconds(10),
      }),
      memoryLimit: props.memoryLimit,
      logFormat: ollamaLogFormat(),
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
