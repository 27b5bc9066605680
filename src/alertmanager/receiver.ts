import { z } from 'zod';
import { Secret } from '../compose/secret.js';
import { secretValue } from '../compose/service-props.js';
import { parseProps, propsSchema } from '../core/props.js';

const RECEIVER = Symbol.for('aixcl-cdk.Receiver');

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

/** The run-time schema of {@link WebhookReceiverProps} (see core/props.ts). */
export const webhookReceiverSchema = propsSchema<WebhookReceiverProps>()(
  z.strictObject({
    url: z.union([z.string(), secretValue]),
    bearerToken: secretValue.optional(),
    sendResolved: z.boolean().optional(),
    maxAlerts: z.number().int().nonnegative().optional(),
  }),
);

/** The run-time schema of {@link EmailReceiverProps} (see core/props.ts). */
export const emailReceiverSchema = propsSchema<EmailReceiverProps>()(
  z.strictObject({
    to: z.union([z.string(), z.array(z.string()).readonly()]),
    from: z.string(),
    smarthost: z.string(),
    authUsername: z.string().optional(),
    authPassword: secretValue.optional(),
    requireTls: z.boolean().optional(),
    sendResolved: z.boolean().optional(),
  }),
);

/** The run-time schema of {@link SlackReceiverProps} (see core/props.ts). */
export const slackReceiverSchema = propsSchema<SlackReceiverProps>()(
  z.strictObject({ webhookUrl: secretValue, channel: z.string().optional(), sendResolved: z.boolean().optional() }),
);

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
  /** True for receivers, across copies of this library. */
  public static isReceiver(x: unknown): x is Receiver {
    return typeof x === 'object' && x !== null && RECEIVER in x;
  }

  /** Receives alerts without notifying anyone: they are shown in Alertmanager's UI and Grafana's alerting pages. */
  public static none(name: string): Receiver {
    return new Receiver(name, 'none', [], () => ({}), []);
  }

  /** POSTs each notification as JSON to a URL (Alertmanager's webhook format, version 4). */
  public static webhook(name: string, props: WebhookReceiverProps): Receiver {
    const checked = parseProps(webhookReceiverSchema, props, { owner: 'Receiver.webhook' }, { url: 'http://invalid.invalid' });
    const p = checked.props;
    const problems = [...checked.problems];
    if (typeof p.url === 'string' && !/^https?:\/\/[^\s/]+/.test(p.url)) {
      problems.push(`url '${p.url}' is not an http(s) URL: write the full URL, e.g. 'http://hooks.example.com/alerts'`);
    }
    if (typeof p.url === 'string' && /:\/\/[^/\s:@]+:[^/\s@]+@/.test(p.url)) {
      problems.push(`the url holds a password in clear: pass the whole URL as a Secret (Secret.fromEnv('ALERT_WEBHOOK_URL')), or the token as bearerToken`);
    }
    const secrets = [p.url, p.bearerToken].filter(Secret.isSecret);
    return new Receiver(
      name,
      'webhook',
      secrets,
      (path) => ({
        webhook_configs: [
          {
            send_resolved: p.sendResolved ?? true,
            ...(Secret.isSecret(p.url) ? { url_file: path(p.url) } : { url: p.url }),
            ...(p.bearerToken ? { http_config: { authorization: { type: 'Bearer', credentials_file: path(p.bearerToken) } } } : {}),
            ...(p.maxAlerts ? { max_alerts: p.maxAlerts } : {}),
          },
        ],
      }),
      problems,
      // url_file of <webhook_config> came after 0.25: Debian's amtool 0.25 refuses it; 0.26 reads it.
      Secret.isSecret(p.url) ? '0.26.0' : undefined,
    );
  }

  /** Sends each notification by e-mail through an SMTP server. */
  public static email(name: string, props: EmailReceiverProps): Receiver {
    const checked = parseProps(
      emailReceiverSchema,
      props,
      { owner: 'Receiver.email' },
      { to: 'invalid@invalid.invalid', from: 'invalid@invalid.invalid', smarthost: 'invalid.invalid:25' },
    );
    const p = checked.props;
    const problems = [...checked.problems];
    const to = typeof p.to === 'string' ? [p.to] : [...p.to];
    if (to.length === 0 || to.some((a) => !/^[^\s@,]+@[^\s@,]+$/.test(a))) {
      problems.push(`'to' must hold e-mail addresses, got ${JSON.stringify(p.to)}: write 'ops@example.com' or a list of them`);
    }
    if (!/^[^\s:]+:\d+$/.test(p.smarthost)) {
      problems.push(`smarthost '${p.smarthost}' must be host:port: write e.g. 'smtp.example.com:587'`);
    }
    if ((p.authUsername === undefined) !== (p.authPassword === undefined)) {
      problems.push(`authUsername and authPassword go together: give both (authPassword: Secret.fromEnv('SMTP_PASSWORD')), or neither`);
    }
    return new Receiver(
      name,
      'email',
      p.authPassword ? [p.authPassword] : [],
      (path) => ({
        email_configs: [
          {
            send_resolved: p.sendResolved ?? true,
            to: to.join(', '),
            from: p.from,
            smarthost: p.smarthost,
            ...(p.authUsername ? { auth_username: p.authUsername } : {}),
            ...(p.authPassword ? { auth_password_file: path(p.authPassword) } : {}),
            require_tls: p.requireTls ?? true,
          },
        ],
      }),
      // auth_password_file is read by Alertmanager 0.25 already (Debian's amtool 0.25 accepts it).
      problems,
    );
  }

  /** Posts each notification to a Slack channel through an incoming webhook. */
  public static slack(name: string, props: SlackReceiverProps): Receiver {
    const checked = parseProps(slackReceiverSchema, props, { owner: 'Receiver.slack' });
    const p = checked.props;
    const secrets = p.webhookUrl ? [p.webhookUrl] : [];
    return new Receiver(
      name,
      'slack',
      secrets,
      (path) => ({
        slack_configs: [
          {
            send_resolved: p.sendResolved ?? true,
            ...(p.webhookUrl ? { api_url_file: path(p.webhookUrl) } : {}),
            ...(p.channel ? { channel: p.channel } : {}),
          },
        ],
      }),
      [...checked.problems],
    );
  }

  /** What is wrong with the receiver's props; its Alertmanager reports them with its path. */
  public readonly problems: readonly string[];

  private constructor(
    /** The receiver's name, which routes refer to. */
    public readonly name: string,
    /** What kind of integration it is. */
    public readonly kind: Kind,
    /** The secrets its configuration refers to by file. */
    public readonly secrets: readonly Secret[],
    private readonly render: (path: SecretPath) => Record<string, unknown>,
    problems: readonly string[],
    /** The first Alertmanager version that reads its configuration. */
    public readonly minimumVersion?: string,
  ) {
    Object.defineProperty(this, RECEIVER, { value: true });
    const all = [...problems];
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
      all.unshift(`the name ${JSON.stringify(name)} is not usable: use letters, digits, '.', '_' and '-' (e.g. 'ops-webhook')`);
      this.name = String(name);
    }
    this.problems = all;
  }

  /** @internal The receiver's entry in the configuration. */
  public _toConfig(path: SecretPath): Record<string, unknown> {
    return { name: this.name, ...this.render(path) };
  }
}
