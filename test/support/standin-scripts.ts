/**
 * Shell scripts of the stand-in images. They run on the stand-in's own
 * busybox, kept at /.standin/busybox (off PATH, so a healthcheck can use
 * only the programs the real image has), and behave as the real programs do:
 * each server listens where its own flags, environment or config file say,
 * answers the health paths the real program serves, and prints log lines
 * shaped like the real ones.
 */

/** Where the stand-in's own busybox lives, off PATH. */
export const BUSYBOX = '/.standin/busybox';

const SHEBANG = `#!${BUSYBOX} sh`;

/**
 * The server: every image's entrypoint ends here. STANDIN_LISTEN says how the
 * real program finds its listen address (one rule per family, see
 * standins.ts); STANDIN_PORTS, when a test sets it in a container's
 * environment, replaces the ports (the tests' own small stacks on host
 * networking use it).
 */
export const RUN_SCRIPT = `${SHEBANG}
# Stand-in for $STANDIN_IMAGE (aixcl-cdk tests).
BB=${BUSYBOX}
ts() { $BB date -u +%Y-%m-%dT%H:%M:%S.000000Z; }
upper() { echo "$1" | $BB tr a-z A-Z; }
log() {
  lvl="$1"; shift
  case "$STANDIN_FAMILY" in
    grafana) echo "logger=server t=$(ts) level=$lvl msg=\\"$*\\"" ;;
    postgres) echo "$($BB date -u '+%Y-%m-%d %H:%M:%S.000 UTC') [1] $(upper "$lvl"):  $*" ;;
    ollama) echo "time=$(ts) level=$(upper "$lvl") source=routes.go:1 msg=\\"$*\\"" ;;
    open-webui) echo "$(upper "$lvl"):     $*" ;;
    pgadmin) echo "[$($BB date -u '+%Y-%m-%d %H:%M:%S +0000')] [1] [$(upper "$lvl")] $*" ;;
    *) echo "level=$lvl ts=$(ts) caller=main.go:1 msg=\\"$*\\"" ;;
  esac
}
# The value of a flag (-name=V, --name=V, -name V or --name V) among the arguments.
flag() {
  f="$1"; shift
  while [ $# -gt 0 ]; do
    case "$1" in
      "-$f="*|"--$f="*) echo "\${1#*=}"; return ;;
      "-$f"|"--$f") echo "$2"; return ;;
    esac
    shift
  done
}
# A key of a top-level block of the YAML config file ($config), e.g. yaml server http_listen_port.
yaml() {
  [ -n "$config" ] || return 0
  $BB awk -v b="$1:" -v k="$2:" '/^[^ #]/ { s = ($1 == b) } s && $1 == k { v = $2; gsub(/["\\047]/, "", v); print v; exit }' "$config"
}
# The value of a postgres setting: -c name=V or --name=V.
pgset() {
  n="$1"; shift
  while [ $# -gt 0 ]; do
    case "$1" in
      -c) case "$2" in "$n="*) echo "\${2#*=}"; return ;; esac ;;
      "--$n="*) echo "\${1#*=}"; return ;;
    esac
    shift
  done
}

log info "Starting $STANDIN_FAMILY (stand-in for $STANDIN_IMAGE) args=\\"$*\\""
config="$(flag config.file "$@")"
[ -n "$config" ] || config="$(flag config "$@")"
if [ -n "$config" ]; then
  if [ ! -r "$config" ]; then log error "error loading config file $config: open $config: no such file or directory"; exit 1; fi
  log info "loaded config file $config ($($BB wc -c <"$config") bytes)"
fi
if [ -n "$STANDIN_EXIT_CODE" ]; then
  log error "fatal: exiting on purpose with code $STANDIN_EXIT_CODE (STANDIN_EXIT_CODE)"
  exit "$STANDIN_EXIT_CODE"
fi
# Loki creates its directories under common.path_prefix at start: fails as the real one does when it may not write there.
if [ "$STANDIN_FAMILY" = loki ]; then
  prefix="$(yaml common path_prefix)"
  if [ -n "$prefix" ] && ! { $BB mkdir -p "$prefix/rules" && $BB touch "$prefix/rules/.standin"; } 2>/dev/null; then
    log error "error initialising module: ruler-storage: mkdir $prefix/rules: permission denied (running as uid $($BB id -u))"
    exit 1
  fi
fi

# Where the real program listens: address and port, from its own flags, environment or config file.
addr=""; port=""
rule() {
  kind="$1"
  case "$kind" in
    config-file) # Loki, Promtail: server.http_listen_address/_port of -config.file, or the -server.http-listen-* flags.
      port="$(flag server.http-listen-port $ARGS)"; [ -n "$port" ] || port="$(yaml server http_listen_port)"; [ -n "$port" ] || port="$2"
      addr="$(flag server.http-listen-address $ARGS)"; [ -n "$addr" ] || addr="$(yaml server http_listen_address)" ;;
    flag) # Prometheus and its exporters: --web.listen-address=[host]:port.
      v="$(flag "$2" $ARGS)"; [ -n "$v" ] || v="$3"; port="\${v##*:}"; addr="\${v%:*}" ;;
    cadvisor) # cAdvisor: --port and --listen_ip.
      port="$(flag port $ARGS)"; [ -n "$port" ] || port="$2"; addr="$(flag listen_ip $ARGS)" ;;
    env) # Grafana, pgAdmin, Open WebUI: an address variable and a port variable.
      eval "addr=\\"\\\${$2:-}\\""; eval "port=\\"\\\${$3:-$4}\\"" ;;
    env-hostport) # Ollama: OLLAMA_HOST=[http://]host:port.
      eval "v=\\"\\\${$2:-$3}\\""; v="\${v#http://}"; port="\${v##*:}"; addr="\${v%:*}" ;;
    postgres) # postgres: -c port=N, -p N or PGPORT; -c listen_addresses=.
      port="$(pgset port $ARGS)"; [ -n "$port" ] || port="$(flag p $ARGS)"; [ -n "$port" ] || port="\${PGPORT:-$2}"
      addr="$(pgset listen_addresses $ARGS)" ;;
    ports) port="" ;;
  esac
}
ARGS="$*"
rule $STANDIN_LISTEN
case "$addr" in ""|0.0.0.0|"*"|"::"|"[::]"|*:*) bind="" ;; localhost) bind="127.0.0.1:" ;; *) bind="$addr:" ;; esac
ports="\${STANDIN_PORTS:-$port}"
if [ -z "$ports" ]; then log error "no port to listen on (STANDIN_LISTEN=$STANDIN_LISTEN)"; exit 1; fi

www=/.standin/www
if [ -n "$STANDIN_UNHEALTHY" ]; then www=/.standin/empty; log warn "readiness endpoints disabled (STANDIN_UNHEALTHY)"; fi
pids=""
stop() { log info "received signal, shutting down"; [ -n "$pids" ] && $BB kill $pids 2>/dev/null; exit 0; }
trap stop TERM INT
if [ "\${STANDIN_READY_DELAY:-0}" != 0 ]; then $BB sleep "$STANDIN_READY_DELAY" & wait $!; fi
for p in $ports; do
  $BB httpd -f -p "$bind$p" -h "$www" & pids="$pids $!"
done
log info "server listening on \${bind:-*:}\${ports}"
n=0
while :; do
  $BB sleep "\${STANDIN_LOG_EVERY:-5}" & wait $!
  n=$((n + 1))
  log info "stand-in heartbeat $n"
done
`;

/**
 * wget as the images that have one carry it (busybox wget in Alpine and
 * busybox-based images), accepting the GNU wget options real healthchecks
 * use (--quiet, --tries=1, --timeout=N, --no-verbose, -t/-T N).
 */
export const WGET_SCRIPT = `${SHEBANG}
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
exec ${BUSYBOX} wget "$@"
`;

/** curl, for probes such as `curl -fsS http://localhost:8080/health`: fetches with busybox wget (fails on HTTP errors like curl -f). */
export const CURL_SCRIPT = `${SHEBANG}
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
${BUSYBOX} wget -q -O "$out" "$url" 2>/dev/null && exit 0
echo "curl: (22) The requested URL returned an error or the server could not be reached: $url" >&2
exit 22
`;

/**
 * loki: \`-health\` probes -health.url (default http://localhost:3100/ready),
 * as Loki 3.6.5+ and 3.7+ do; in older lines (STANDIN_LOKI_HEALTH unset) the
 * flag does not exist. Anything else runs the server.
 */
export const LOKI_SCRIPT = `${SHEBANG}
url=""; health=""
for a in "$@"; do
  case "$a" in
    -health|--health) health=1 ;;
    -health.url=*|--health.url=*) url="\${a#*=}" ;;
  esac
done
if [ -n "$health" ]; then
  if [ -z "$STANDIN_LOKI_HEALTH" ]; then echo "flag provided but not defined: -health" >&2; exit 1; fi
  url="\${url:-http://localhost:3100/ready}"
  if ${BUSYBOX} wget -q -O /dev/null "$url" 2>/dev/null; then exit 0; fi
  echo "health check failed: $url is not ready" >&2; exit 1
fi
exec /.standin/run "$@"
`;

/** pg_isready: accepting connections = the port answers. */
export const PG_ISREADY_SCRIPT = `${SHEBANG}
host=\${PGHOST:-/var/run/postgresql}; port=\${PGPORT:-5432}
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
# A socket directory means the local socket; the stand-in listens on TCP only, as with listen_addresses.
case "$host" in /*) addr=127.0.0.1 ;; localhost) addr=127.0.0.1 ;; *) addr="$host" ;; esac
if ${BUSYBOX} wget -q -O /dev/null "http://$addr:$port/" 2>/dev/null; then echo "$host:$port - accepting connections"; exit 0; fi
echo "$host:$port - no response"; exit 2
`;

/** ollama: `ollama list` asks the server (OLLAMA_HOST) for its models; `serve` (or anything else) runs the server. */
export const OLLAMA_SCRIPT = `${SHEBANG}
case "$1" in
  list|ls|ps)
    h="\${OLLAMA_HOST:-127.0.0.1:11434}"; h="\${h#http://}"; h="$(echo "$h" | ${BUSYBOX} sed 's/^0\\.0\\.0\\.0/127.0.0.1/')"
    case "$h" in *:*) ;; *) h="$h:11434" ;; esac
    if ${BUSYBOX} wget -q -O /dev/null "http://$h/api/tags" 2>/dev/null; then echo "NAME    ID    SIZE    MODIFIED"; exit 0; fi
    echo "Error: could not connect to ollama app, is it running?" >&2; exit 1 ;;
  *) exec /.standin/run "$@" ;;
esac
`;

/** A program of the image (its server) that starts the stand-in server. */
export const SERVER_SCRIPT = `${SHEBANG}
exec /.standin/run "$@"
`;

/** Every script, for the images' content hash. */
export const ALL_SCRIPTS = [RUN_SCRIPT, WGET_SCRIPT, CURL_SCRIPT, LOKI_SCRIPT, PG_ISREADY_SCRIPT, OLLAMA_SCRIPT, SERVER_SCRIPT].join('\n');
