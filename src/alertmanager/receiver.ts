import { Secret } from '../compose/secret.js';
import { UserError } from '../core/errors.js';

/**
 * Where the Alertmanager container finds a secret's value: a file on a tmpfs,
 * written from the secret's environment variable when the container starts,
 * so the value is in no generated file and never on a disk of the container.
 */
export type SecretPath = (secret: Secret) => string;

/** Props of {@link Receiver.webhook}. */
export interface WebhookReceiverProps {
  /**
   * The URL Alertmanager POSTs to. A {@link Secret} when the URL itself is a
   * credential (written as `url_file`, which needs Alertmanager 0.26 or later).
   */
  readonly url: string | Secret;
  /** A bearer token sent as `Authorization: Bearer ...` (`http_config.authorization.credentials_file`). @default none */
  readonly bearerToken?: Secret;
  /** Notify when the alert resolves. @default true */
  readonly sendResolved?: boolean;
  /** At most this many alerts per message (0: all). @default 0 */
  readonly maxAlerts?: number;
}

/** Props of {@link Receiver.email}. */
export interface EmailReceiverProps {
  /** Address(es) to send to. */
  readonly to: string | readonly string[];
  /** Sender address. */
  readonly from: string;
  /** SMTP server as `host:port`, e.g. `smtp.example.com:587`. */
  readonly smarthost: string;
  /** SMTP user name. @default no authentication */
  readonly authUsername?: string;
  /** SMTP password (written as `auth_password_file`). @default no authentication */
  readonly authPassword?: Secret;
  /** Refuse to send without STARTTLS. @default true */
  readonly requireTls?: boolean;
  /** @default true */
  readonly sendResolved?: boolean;
}

/** Props of {@link Receiver.slack}. */
export interface SlackReceiverProps {
  /** The incoming-webhook URL, which is itself a credential (written as `api_url_file`). */
  readonly webhookUrl: Secret;
  /** Channel, e.g. `#alerts`. @default the webhook's own channel */
  readonly channel?: string;
  /** @default true */
  readonly sendResolved?: boolean;
}

type Kind = 'none' | 'webhook' | 'email' | 'slack';

/**
 * A notification receiver of an Alertmanager. Secrets are never written into
 * the configuration: each is given to Alertmanager by one of its `*_file`
 * options (docs/configuration.md of prometheus/alertmanager: `url_file` of
 * `<webhook_config>`, `auth_password_file` of `<email_config>`,
 * `api_url_file` of `<slack_config>`, `credentials_file` of
 * `<http_config>.authorization`).
 */
export class Receiver {
  /** Receives alerts without notifying anyone: they are shown in Alertmanager's UI and Grafana's alerting pages. */
  public static none(name: string): Receiver {
    return new Receiver(name, 'none', [], () => ({}));
  }

  /** POSTs each notification as JSON to a URL (Alertmanager's webhook format, version 4). */
  public static webhook(name: string, props: WebhookReceiverProps): Receiver {
    const secrets = [props.url, props.bearerToken].filter(Secret.isSecret);
    if (typeof props.url === 'string' && !/^https?:\/\/[^\s/]+/.test(props.url)) {
      throw new UserError(`webhook receiver '${name}': url '${props.url}' is not an http(s) URL`);
    }
    if (typeof props.url === 'string' && /:\/\/[^/\s:@]+:[^/\s@]+@/.test(props.url)) {
      throw new UserError(`webhook receiver '${name}': the url holds a password in clear: pass the whole URL as a Secret, or the token as bearerToken`);
    }
    return new Receiver(
      name,
      'webhook',
      secrets,
      (path) => ({
        webhook_configs: [
          {
            send_resolved: props.sendResolved ?? true,
            ...(Secret.isSecret(props.url) ? { url_file: path(props.url) } : { url: props.url }),
            ...(props.bearerToken ? { http_config: { authorization: { type: 'Bearer', credentials_file: path(props.bearerToken) } } } : {}),
            ...(props.maxAlerts ? { max_alerts: props.maxAlerts } : {}),
          },
        ],
      }),
      Secret.isSecret(props.url) ? '0.26.0' : undefined,
    );
  }

  /** Sends each notification by e-mail through an SMTP server. */
  public static email(name: string, props: EmailReceiverProps): Receiver {
    const to = typeof props.to === 'string' ? [props.to] : [...props.to];
    if (to.length === 0 || to.some((a) => !/^[^\s@,]+@[^\s@,]+$/.test(a))) {
      throw new UserError(`email receiver '${name}': 'to' must hold e-mail addresses (got ${JSON.stringify(props.to)})`);
    }
    if (!/^[^\s:]+:\d+$/.test(props.smarthost)) {
      throw new UserError(`email receiver '${name}': smarthost '${props.smarthost}' must be host:port, e.g. smtp.example.com:587`);
    }
    if ((props.authUsername === undefined) !== (props.authPassword === undefined)) {
      throw new UserError(`email receiver '${name}': give both authUsername and authPassword, or neither`);
    }
    return new Receiver(name, 'email', props.authPassword ? [props.authPassword] : [], (path) => ({
      email_configs: [
        {
          send_resolved: props.sendResolved ?? true,
          to: to.join(', '),
          from: props.from,
          smarthost: props.smarthost,
          ...(props.authUsername ? { auth_username: props.authUsername } : {}),
          ...(props.authPassword ? { auth_password_file: path(props.authPassword) } : {}),
          require_tls: props.requireTls ?? true,
        },
      ],
    }));
  }

  /** Posts each notification to a Slack channel through an incoming webhook. */
  public static slack(name: string, props: SlackReceiverProps): Receiver {
    if (!Secret.isSecret(props.webhookUrl)) {
      throw new UserError(`slack receiver '${name}': webhookUrl must be a Secret (the URL is the credential), e.g. Secret.fromEnv('SLACK_WEBHOOK_URL')`);
    }
    return new Receiver(name, 'slack', [props.webhookUrl], (path) => ({
      slack_configs: [
        {
          send_resolved: props.sendResolved ?? true,
          api_url_file: path(props.webhookUrl),
          ...(props.channel ? { channel: props.channel } : {}),
        },
      ],
    }));
  }

  private constructor(
    /** The receiver's name, which routes refer to. */
    public readonly name: string,
    /** What kind of integration it is. */
    public readonly kind: Kind,
    /** The secrets its configuration refers to by file. */
    public readonly secrets: readonly Secret[],
    private readonly render: (path: SecretPath) => Record<string, unknown>,
    /** The first Alertmanager version that reads its configuration. */
    public readonly minimumVersion?: string,
  ) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      throw new UserError(`receiver name '${String(name)}' is invalid: use letters, digits, '.', '_' and '-'`);
    }
  }

  /** @internal The receiver's entry in the configuration. */
  public _toConfig(path: SecretPath): Record<string, unknown> {
    return { name: this.name, ...this.render(path) };
  }
}
