import { Construct } from 'constructs';
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
    super(scope, id);
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
        OLLAMA_BASE_URL: props.ollama.url,
        WEBUI_SECRET_KEY: props.secretKey ?? Secret.fromEnv('WEBUI_SECRET_KEY'),
      },
      ports: [{ containerPort: this.port }],
      // The image has curl. The first start runs database migrations, hence the long start period.
      healthcheck: Healthcheck.curl(probeUrl(stack, this.port, '/health'), {
        interval: Duration.seconds(15),
        startPeriod: Duration.seconds(120),
      }),
      memoryLimit: props.memoryLimit ?? Size.gibibytes(2),
    });
    configureSwarm(this.service, {
      // open-webui backend/start.sh: without WEBUI_SECRET_KEY it reads the key from .webui_secret_key in its
      // directory (/app/backend), and only generates one when that file is missing.
      secretFiles: { WEBUI_SECRET_KEY: { path: '/app/backend/.webui_secret_key' } },
    });
    this.service.addVolume(this.dataVolume, '/app/backend/data');
    // The UI starts without Ollama and shows its models once it answers.
    this.service.addDependency(props.ollama.service, { condition: DependencyCondition.STARTED });
  }

  /** URL of the UI for other services of the stack. */
  public get url(): string {
    return this.service.url(this.port);
  }
}
