import { Construct } from 'constructs';
import { openWebUiLogFormat } from '../log-format/program-formats.js';
import { z } from 'zod';
import { checkProps, propsSchema } from '../core/props.js';
import { common, constructOf } from '../core/value-schemas.js';
import { secretValue, serviceMakerContext } from '../compose/service-props.js';
import { Healthcheck } from '../compose/healthcheck.js';
import { Secret } from '../compose/secret.js';
import { DependencyCondition, Service } from '../compose/service.js';
import { Volume } from '../compose/volume.js';
import { Duration } from '../core/duration.js';
import { Size } from '../core/size.js';
import { Stack } from '../core/stack.js';
import { probeUrl, unbracket } from './listen-address.js';
import { Ollama } from './ollama.js';
import { configureSwarm } from '../swarm/swarm-settings.js';
import { checkedScope } from '../core/construct-args.js';

/** The run-time schema of {@link OpenWebUIProps} (see core/props.ts). */
export const openWebUISchema = propsSchema<OpenWebUIProps>()(
  z.strictObject({ ollama: constructOf('Ollama', Ollama.isOllama), ...common, secretKey: secretValue.optional() }),
);

/** Props of {@link OpenWebUI}. */
export interface OpenWebUIProps {
  /** The Ollama server the UI talks to (a typed reference: its URL follows the networking). */
  readonly ollama: Ollama;
  /** @default 'ghcr.io/open-webui/open-webui:v0.6.33' */
  readonly image?: string;
  /** @default 'open-webui' */
  readonly serviceName?: string;
  /** @default 8080 */
  readonly port?: number;
  /** Key that signs sessions. @default Secret.fromEnv('WEBUI_SECRET_KEY') */
  readonly secretKey?: Secret;
  /** @default Size.gibibytes(2) */
  readonly memoryLimit?: Size;
}

/** Open WebUI, the chat front end of Ollama. Its data (users, chats) is kept in a named volume. */
export class OpenWebUI extends Construct {
  public readonly service: Service;
  public readonly dataVolume: Volume;
  public readonly port: number;
  public readonly ollama: Ollama;

  constructor(scope: Construct, id: string, props: OpenWebUIProps) {
    super(checkedScope('OpenWebUI', scope, id), id);
    props = checkProps(this, openWebUISchema, props, serviceMakerContext('OpenWebUI', Object.keys(openWebUISchema.shape)));
    const stack = Stack.of(this);
    const serviceName = props.serviceName ?? 'open-webui';
    this.port = props.port ?? 8080;
    this.ollama = props.ollama;
    this.dataVolume = new Volume(this, 'Data', { volumeName: `${serviceName}-data` });
    this.service = new Service(this, 'Service', {
      image: props.image ?? 'ghcr.io/open-webui/open-webui:v0.6.33',
      serviceName,
      environment: {
        // start.sh hands HOST and PORT to uvicorn.
        HOST: unbracket(stack.listenAddress),
        PORT: this.port,
        // Without a valid Ollama (a problem recorded above) the URL is a placeholder: nothing is written then.
        OLLAMA_BASE_URL: Ollama.isOllama(props.ollama) ? props.ollama.url : 'http://invalid.invalid',
        WEBUI_SECRET_KEY: props.secretKey ?? Secret.fromEnv('WEBUI_SECRET_KEY'),
      },
      ports: [{ containerPort: this.port, scheme: 'http' }],
      // The image has curl. The first start runs database migrations, hence the long start period.
      healthcheck: Healthcheck.curl(probeUrl(stack, this.port, '/health'), {
        interval: Duration.seconds(15),
        startPeriod: Duration.seconds(120),
      }),
      memoryLimit: props.memoryLimit ?? Size.gibibytes(2),
      logFormat: openWebUiLogFormat(),
    });
    configureSwarm(this.service, {
      // open-webui backend/start.sh: without WEBUI_SECRET_KEY it reads the key from .webui_secret_key in its
      // directory (/app/backend), and only generates one when that file is missing.
      secretFiles: { WEBUI_SECRET_KEY: { path: '/app/backend/.webui_secret_key' } },
    });
    this.service.addVolume(this.dataVolume, '/app/backend/data');
    // The UI starts without Ollama and shows its models once it answers.
    if (Ollama.isOllama(props.ollama)) this.service.addDependency(props.ollama.service, { condition: DependencyCondition.STARTED });
  }

  /** URL of the UI for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
