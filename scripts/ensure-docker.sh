#!/usr/bin/env bash
# Makes sure the tests have what they need: a reachable Docker Engine (the
# deploy tests use a real one), busybox-static (stand-in images are built from
# it, since no registry is reachable), the compose v2 plugin (the reference
# check of generated compose files), promtool (the check of prometheus.yml), amtool with
# prometheus-alertmanager (the check of alertmanager.yml, and a real Alertmanager for the routing test) and
# Debian's Go compiler (test/go-parity.test.ts builds a small program of ours to check the Promtail model
# against Go's own regexp and time.Parse). On a Debian machine as root it installs
# what is missing; elsewhere it says what is missing and fails: tests that
# need Docker fail rather than skip.
set -euo pipefail

log() { echo "ensure-docker: $*" >&2; }
as_root() { [ "$(id -u)" = 0 ]; }
apt_updated=0
apt_install() {
  as_root && command -v apt-get >/dev/null || { log "cannot install $* (need root and apt-get): install it and run again"; exit 1; }
  [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Only talk to the local default socket when DOCKER_HOST is unset.
if ! docker info >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ]; then log "DOCKER_HOST=$DOCKER_HOST does not answer"; exit 1; fi
  command -v dockerd >/dev/null || apt_install docker.io
  as_root || { log "the Docker daemon is not running; start it (e.g. sudo systemctl start docker)"; exit 1; }
  log "starting dockerd"
  (setsid dockerd >/var/log/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { log "dockerd did not come up; see /var/log/dockerd.log"; tail -20 /var/log/dockerd.log >&2; exit 1; }
fi

[ -x /bin/busybox ] || apt_install busybox-static
# promtool checks the generated prometheus.yml the way Prometheus reads it. Only the binary is taken out of
# Debian's prometheus package: installing the package would also install (and on systemd start) a Prometheus
# server on the port the stack uses.
if ! command -v promtool >/dev/null; then
  as_root && command -v apt-get >/dev/null || { log "promtool missing: install it (it comes with Prometheus)"; exit 1; }
  [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }
  ptmp=$(mktemp -d)
  (cd "$ptmp" && apt-get download -qq prometheus 2>/dev/null && dpkg -x prometheus_*.deb x)
  install -m 0755 "$ptmp/x/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$ptmp"
fi

# amtool checks the generated alertmanager.yml, and a real Alertmanager routes a test alert to a test receiver.
# Only the two binaries, and the notification templates Debian's build reads from /usr/share (without them it
# sends nothing), are taken out of Debian's prometheus-alertmanager package: installing it would also install
# (and on systemd start) an Alertmanager service on the port the stack uses.
am_templates=/usr/share/prometheus/alertmanager
if ! command -v amtool >/dev/null || ! command -v prometheus-alertmanager >/dev/null || [ ! -f $am_templates/default.tmpl ]; then
  as_root && command -v apt-get >/dev/null || { log "amtool/prometheus-alertmanager missing: install them (they come with Alertmanager)"; exit 1; }
  [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }
  atmp=$(mktemp -d)
  (cd "$atmp" && apt-get download -qq prometheus-alertmanager 2>/dev/null && dpkg -x prometheus-alertmanager_*.deb x)
  install -m 0755 "$atmp/x/usr/bin/amtool" /usr/local/bin/amtool
  install -m 0755 "$atmp/x/usr/bin/prometheus-alertmanager" /usr/local/bin/prometheus-alertmanager
  install -d $am_templates
  install -m 0644 "$atmp/x$am_templates/default.tmpl" "$atmp/x$am_templates/email.tmpl" $am_templates/
  rm -rf "$atmp"
fi

# Debian's Go (bookworm: 1.19): `go` on PATH or under /usr/lib/go-1.N, as test/go-parity.test.ts looks for it.
if ! command -v go >/dev/null && ! ls /usr/lib/go-1.*/bin/go >/dev/null 2>&1; then
  log "installing Debian's Go compiler (golang-go)"
  apt_install golang-go
fi

if ! docker compose version >/dev/null 2>&1; then
  as_root && command -v apt-get >/dev/null || { log "docker compose v2 plugin missing: install it"; exit 1; }
  # Not in bookworm: take the v2 plugin binary out of trixie's docker-compose package.
  log "installing the docker compose v2 plugin"
  list=/etc/apt/sources.list.d/aixcl-trixie-tmp.list
  echo "deb http://deb.debian.org/debian trixie main" >"$list"
  tmp=$(mktemp -d)
  trap 'rm -f "$list"; rm -rf "$tmp"' EXIT
  apt-get update -qq -o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0
  (cd "$tmp" && apt-get download -qq docker-compose/trixie 2>/dev/null && dpkg -x docker-compose_*.deb x)
  rm -f "$list"
  mkdir -p /usr/local/lib/docker/cli-plugins
  cp "$(find "$tmp/x" -path '*cli-plugins/docker-compose' -type f | head -1)" /usr/local/lib/docker/cli-plugins/docker-compose
  docker compose version >/dev/null
fi
log "ok: $(promtool --version 2>&1 | head -1 | cut -d" " -f1-3), $(amtool --version 2>&1 | head -1 | cut -d" " -f1-3), $( (command -v go >/dev/null && go version || $(ls -d /usr/lib/go-1.*/bin/go | tail -1) version) 2>/dev/null | cut -d" " -f3), $(docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}'), $(docker compose version --short 2>/dev/null | sed 's/^/compose /')"
