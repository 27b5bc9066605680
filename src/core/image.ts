import { UserError } from './errors.js';

/** A semantic version read from an image tag. */
export interface ImageVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** A container image reference (`repository:tag`), parsed once so constructs can reason about its version. */
export class Image {
  /** Parses `grafana/loki:3.7.6`, `registry:5000/x/y:1.2`, or `name@sha256:...`. */
  public static of(ref: string): Image {
    const problem = imageReferenceProblem(ref);
    if (problem) throw new UserError(problem);
    const at = ref.indexOf('@');
    const namePart = at >= 0 ? ref.slice(0, at) : ref;
    const digest = at >= 0 ? ref.slice(at + 1) : undefined;
    const slash = namePart.lastIndexOf('/');
    const colon = namePart.lastIndexOf(':');
    const hasTag = colon > slash;
    const repository = hasTag ? namePart.slice(0, colon) : namePart;
    const tag = hasTag ? namePart.slice(colon + 1) : undefined;
    return new Image(ref, repository, tag, digest);
  }

  private constructor(
    /** The reference as written. */
    public readonly ref: string,
    public readonly repository: string,
    public readonly tag: string | undefined,
    public readonly digest: string | undefined,
  ) {}

  /**
   * The version in the tag (`3.7.6`, `v1.19.2`, `3.6.5-amd64`), or undefined if
   * the tag is not a version (`latest`, `main`, no tag).
   */
  public get version(): ImageVersion | undefined {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(this.tag ?? '');
    if (!m) return undefined;
    return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
  }

  /**
   * The major version a tag starts with, also for tags that name only a major
   * (`17`, `17-alpine`, `v3`), or undefined (`latest`, no tag). Use
   * {@link version} where the minor matters.
   */
  public get majorVersion(): number | undefined {
    const m = /^v?(\d+)(?:[.\-+]|$)/.exec(this.tag ?? '');
    return m ? Number(m[1]) : undefined;
  }

  /** Compares the tag's version with `other`: negative, 0, positive. Undefined when the tag has no version. */
  public compareVersion(other: string): number | undefined {
    const v = this.version;
    if (!v) return undefined;
    const [a, b, c] = other.split('.').map(Number);
    return v.major - a || v.minor - b || v.patch - (c ?? 0);
  }

  /**
   * This image as a mirror serves it: `MIRROR/PATH` with the tag and digest kept, where PATH is the
   * path of the image on Docker Hub (`grafana/loki`, and `library/postgres` for an official image,
   * as Docker Hub itself names it) or, for an image of another registry, that registry's host and
   * path (`ghcr.io/open-webui/open-webui`). An image already under the mirror is left as it is, and so
   * is one of a registry with a port or of `localhost` (a registry of the user's own, reachable as it
   * is): a path component cannot hold the ':' of `host:port` (distribution/reference regexp.go), so
   * `MIRROR/localhost:5000/app` would not be a valid reference.
   * Docker's rule for what is a registry host: distribution/reference normalize.go (splitDockerDomain).
   */
  public inMirror(mirror: string): Image {
    if (this.ref.startsWith(`${mirror}/`)) return this;
    const [first, ...rest] = this.repository.split('/');
    const isHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
    if (isHost && (first.includes(':') || first === 'localhost')) return this;
    let path: string;
    if (!isHost) path = rest.length ? this.repository : `library/${this.repository}`;
    else if (first === 'docker.io' || first === 'index.docker.io') path = rest.length > 1 ? rest.join('/') : `library/${rest[0]}`;
    else path = this.repository;
    return Image.of(`${mirror}/${path}${this.tag !== undefined ? `:${this.tag}` : ''}${this.digest !== undefined ? `@${this.digest}` : ''}`);
  }

  /**
   * Why `mirror` cannot prefix image names, or undefined when it can: a registry host (a name with
   * a '.', a ':port', or `localhost`), then optional path components, as in the distribution
   * reference grammar (distribution/reference regexp.go). A first part that is not a host would be
   * read by Docker as a Docker Hub account.
   */
  public static mirrorProblem(mirror: string): string | undefined {
    const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
    const domain = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?';
    if (typeof mirror !== 'string' || !new RegExp(`^${domain}(?:/${component})*$`).test(mirror)) {
      return `'${String(mirror)}' is not a registry host with an optional path (e.g. registry.example.com:5000/mirror)`;
    }
    const host = mirror.split('/')[0];
    if (!host.includes('.') && !host.includes(':') && host !== 'localhost') {
      return `'${mirror}' does not start with a registry host (a name with a '.' or a ':port', or localhost): Docker would read '${host}' as a Docker Hub account`;
    }
    return undefined;
  }

  public toString(): string {
    return this.ref;
  }
}

/*
 * The image reference grammar of the distribution project (distribution/reference, regexp.go, the
 * parser Docker and Compose use):
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] remote-name           (at most 255 characters)
 *   domain           := host [':' port-number]
 *   host             := domain-name | IPv4address | \[ IPv6address \]
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := alpha-numeric [separator alpha-numeric]*
 *   alpha-numeric    := /[a-z0-9]+/
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" /[0-9a-fA-F]{32,}/,  algorithm := /[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*\/
 *
 * The first component is a domain when it holds a '.' or a ':' or is `localhost` (normalize.go).
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Why `ref` is not an image reference Docker accepts, or undefined when it is one. */
export function imageReferenceProblem(ref: unknown): string | undefined {
  const example = 'write it like grafana/loki:3.7.6 (repository:tag)';
  if (typeof ref !== 'string') return `an image reference must be a string, got ${ref === null ? 'null' : typeof ref}: ${example}`;
  if (ref.length === 0) return `the image reference is empty: ${example}`;
  if (/\s/.test(ref)) return `image '${ref}' contains white space: ${example}`;
  if (/^[a-z]+:\/\//i.test(ref)) return `image '${ref}' is a URL: an image reference has no scheme (${ref.replace(/^[a-z]+:\/\//i, '')})`;
  const at = ref.indexOf('@');
  const namePart = at >= 0 ? ref.slice(0, at) : ref;
  if (at >= 0 && !DIGEST.test(ref.slice(at + 1))) {
    return `image '${ref}' has an invalid digest '${ref.slice(at + 1)}': a digest is algorithm:hex, e.g. sha256: followed by 64 hex digits`;
  }
  const slash = namePart.lastIndexOf('/');
  const colon = namePart.lastIndexOf(':');
  const name = colon > slash ? namePart.slice(0, colon) : namePart;
  const tag = colon > slash ? namePart.slice(colon + 1) : undefined;
  if (tag !== undefined && !TAG.test(tag)) {
    const bad = [...new Set(tag.replace(/[\w.-]/g, ''))].map((c) => `'${c}'`).join(', ');
    return (
      `image '${ref}' has an invalid tag '${tag}': a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'` +
      (bad ? ` (${bad} cannot appear in a tag)` : '')
    );
  }
  if (name.length > 255) return `image '${ref}' has a repository name longer than 255 characters`;
  const parts = name.split('/');
  const hasDomain = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost');
  if (hasDomain && !DOMAIN.test(parts[0])) return `image '${ref}' has an invalid registry '${parts[0]}' (a host name or IP, with an optional :port)`;
  for (const part of hasDomain ? parts.slice(1) : parts) {
    if (PATH_COMPONENT.test(part)) continue;
    if (PATH_COMPONENT.test(part.toLowerCase())) {
      return `image '${ref}' has upper-case letters in its repository name, which must be lower case: write '${[...(hasDomain ? [parts[0]] : []), ...(hasDomain ? parts.slice(1) : parts).map((p) => p.toLowerCase())].join('/')}${ref.slice(name.length)}'`;
    }
    return `image '${ref}' has an invalid repository name component '${part}' (lower case letters and digits, separated by '.', '_', '__' or '-')`;
  }
  return undefined;
}
