/**
 * Shell scripts of the stand-in images (busybox sh). They answer the same
 * health endpoints, with the same healthcheck commands, as the real images,
 * and print log lines shaped like the real programs' ones.
 */

/** The server: the image's entrypoint. */
export const RUN_SCRIPT = `#!/bin/sh
# Stand-in for $STANDIN_IMAGE (aixcl-cdk tests): serves $STANDIN_PORTS with busybox httpd.
ts() { date -u +%Y-%m-%dT%H:%M:%S.000000Z; }
log() {
  lvl="$1"; shift
  case "$STANDIN_FAMILY" in
    grafana) echo "logger=server t=$(ts) level=$lvl msg=\\"$*\\"" ;;
    postgres) echo "$(date -u '+%Y-%m-%d %H:%M:%S.000 UTC') [1] $(echo "$lvl" | tr a-z A-Z):  $*" ;;
    ollama) echo "time=$(ts) level=$(echo "$lvl" | tr a-z A-Z) source=routes.go:1 msg=\\"$*\\"" ;;
    open-webui) echo "$(echo "$lvl" | tr a-z A-Z):     $*" ;;
    pgadmin) echo "[$(date -u '+%Y-%m-%d %H:%M:%S +0000')] [1] [$(echo "$lvl" | tr a-z A-Z)] $*" ;;
    *) echo "level=$lvl ts=$(ts) caller=main.go:1 msg=\\"$*\\"" ;;
  esac
}
log info "Starting $STANDIN_FAMILY (stand-in for $STANDIN_IMAGE) args=\\"$*\\""
for a in "$@"; do
  case "$a" in
    *config.file=*|--config=*|*config.path=*)
      f="\${a#*=}"
      if [ ! -r "$f" ]; then log error "error loading config file $f: no such file or directory"; exit 1; fi
      log info "loaded config file $f ($(wc -c <"$f") bytes)"
      ;;
  esac
done
if [ -n "$STANDIN_EXIT_CODE" ]; then
  log error "fatal: exiting on purpose with code $STANDIN_EXIT_CODE (STANDIN_EXIT_CODE)"
  exit "$STANDIN_EXIT_CODE"
fi
www=/standin/www
if [ -n "$STANDIN_UNHEALTHY" ]; then www=/standin/empty; log warn "readiness endpoints disabled (STANDIN_UNHEALTHY)"; fi
pids=""
stop() { log info "received signal, shutting down"; [ -n "$pids" ] && kill $pids 2>/dev/null; exit 0; }
trap stop TERM INT
if [ "\${STANDIN_READY_DELAY:-0}" != 0 ]; then sleep "$STANDIN_READY_DELAY" & wait $!; fi
for p in $STANDIN_PORTS; do
  httpd -f -p "$p" -h "$www" & pids="$pids $!"
done
log info "server listening on ports $STANDIN_PORTS"
n=0
while :; do
  sleep "\${STANDIN_LOG_EVERY:-5}" & wait $!
  n=$((n + 1))
  log info "stand-in heartbeat $n"
done
`;

/**
 * busybox wget, accepting the GNU wget options real healthchecks use
 * (--quiet, --tries=1, --timeout=N, --no-verbose, -t/-T N).
 */
export const WGET_SCRIPT = `#!/bin/sh
# Rotate the arguments: take each from the front, append its busybox form at the back.
n=$#; i=0
while [ "$i" -lt "$n" ]; do
  a="$1"; shift; i=$((i + 1))
  case "$a" in
    --quiet|--no-verbose|-nv) set -- "$@" -q ;;
    --tries=*|--timeout=*|--no-check-certificate|--no-cache|--retry-connrefused|--waitretry=*|--no-dns-cache) ;;
    -t|-T|--tries|--timeout) if [ "$i" -lt "$n" ]; then shift; i=$((i + 1)); fi ;;
    --output-document=*) set -- "$@" -O "\${a#*=}" ;;
    *) set -- "$@" "$a" ;;
  esac
done
exec busybox wget "$@"
`;

/** curl, for probes such as `curl -fsS http://localhost:8080/health`: fetches with busybox wget (fails on HTTP errors like curl -f). */
export const CURL_SCRIPT = `#!/bin/sh
url=""; out="-"
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output) out="$2"; shift ;;
    -m|--max-time|--connect-timeout|--retry|-H|--header|-X|--request|-w|--write-out|-A|--user-agent) shift ;;
    http://*|https://*) url="$1" ;;
  esac
  shift
done
[ -n "$url" ] || { echo "curl: no URL specified" >&2; exit 2; }
exec busybox wget -q -O "$out" "$url"
`;

/** loki: `-health` probes /ready (or -health.url=URL), as Loki 3.6.5+ does; anything else runs the server. */
export const LOKI_SCRIPT = `#!/bin/sh
url=""; health=""
for a in "$@"; do
  case "$a" in
    -health|--health) health=1 ;;
    -health.url=*|--health.url=*) url="\${a#*=}" ;;
  esac
done
if [ -n "$health" ]; then
  exec busybox wget -q -O /dev/null "\${url:-http://localhost:3100/ready}"
fi
exec /standin/run "$@"
`;

/** pg_isready: accepting connections = the port answers. */
export const PG_ISREADY_SCRIPT = `#!/bin/sh
host=127.0.0.1; port=\${PGPORT:-5432}
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--host) host="$2"; shift ;;
    -p|--port) port="$2"; shift ;;
    -h*) host="\${1#-h}" ;;
    -p*) port="\${1#-p}" ;;
    --host=*) host="\${1#*=}" ;;
    --port=*) port="\${1#*=}" ;;
  esac
  shift
done
[ "$host" = localhost ] && host=127.0.0.1
if busybox wget -q -O /dev/null "http://$host:$port/" 2>/dev/null; then echo "$host:$port - accepting connections"; exit 0; fi
echo "$host:$port - no response"; exit 2
`;

/** ollama: `ollama list` asks the server (OLLAMA_HOST) for its models; anything else runs the server. */
export const OLLAMA_SCRIPT = `#!/bin/sh
case "$1" in
  list|ls|ps|--version|-v)
    h="\${OLLAMA_HOST:-127.0.0.1:11434}"; h="\${h#http://}"; h="$(echo "$h" | sed 's/^0\\.0\\.0\\.0/127.0.0.1/')"
    case "$h" in *:*) ;; *) h="$h:11434" ;; esac
    if busybox wget -q -O /dev/null "http://$h/api/tags"; then echo "NAME    ID    SIZE    MODIFIED"; exit 0; fi
    echo "Error: could not connect to ollama app, is it running?" >&2; exit 1 ;;
  *) exec /standin/run "$@" ;;
esac
`;

/** A program the stand-in does not model: fails loudly so the test says what to add. */
export const UNKNOWN_PROGRAM_SCRIPT = (name: string) => `#!/bin/sh
echo "stand-in image: program '${name}' is not modelled (extend test/support/standins.ts)" >&2
exit 127
`;
