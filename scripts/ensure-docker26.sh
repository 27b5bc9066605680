#!/usr/bin/env bash
# A second Docker Engine, 26.1 (API 1.45), beside the machine's own (Debian bookworm's 20.10), so the
# tests also run against the engine line users have (`npm run test:docker26`).
#
#   bash scripts/ensure-docker26.sh [start]   install what is missing, start the engine if it is not
#                                             running, print its DOCKER_HOST on stdout
#   bash scripts/ensure-docker26.sh stop      stop it and remove its network namespace
#   bash scripts/ensure-docker26.sh exec CMD  run CMD in the engine's network namespace
#
# Where it comes from: Debian trixie's docker.io (26.1.5) and containerd (1.7.24) packages, fetched with
# `apt-get download` through a PRIVATE apt directory (.cache/docker26/apt: its own sources list, package
# lists and cache), so the machine's apt sources and state are untouched; apt checks the archive's
# signature and each package's hash. They are unpacked with `dpkg -x`, not installed. bookworm's own runc
# runs the containers (trixie's runc needs glibc 2.38); it is installed from bookworm if missing.
#
# It shares nothing with the machine's engine: its own socket, pidfile, exec-root (with its own
# containerd), data-root (.cache/docker26/data), cgroup parent, and its own NETWORK NAMESPACE
# (aixcl-docker26). In that namespace it manages iptables as an installed engine does, on the
# namespace's own tables: a dockerd that manages iptables deletes and recreates the DOCKER chains at
# start (removeIPChains in moby's libnetwork/drivers/bridge), which in the host's namespace would drop
# the rules of the 20.10 daemon's running containers. Its bridge, address pools, published ports and
# host-network containers live in the namespace too, so its tests can use the same host ports as a run
# on the machine's engine at the same time. Whatever talks to its containers over the network (the
# tests) runs in the namespace: `ensure-docker26.sh exec npm test` (scripts/in-docker26.sh does that).
# Only the network namespace is entered (nsenter --net), not `ip netns exec`, which also remounts /sys
# and so hides the cgroup mounts dockerd needs.
set -euo pipefail

log() { echo "ensure-docker26: $*" >&2; }
fail() { log "$*"; exit 1; }

root=$(cd "$(dirname "$0")/.." && pwd)
cache=$root/.cache/docker26
bin=$cache/root
run=/run/aixcl-docker26
sock=/run/aixcl-docker26.sock
pidfile=/run/aixcl-docker26.pid
host=unix://$sock
netns=aixcl-docker26
want=26.1

answers() { DOCKER_HOST=$host docker version --format '{{.Server.Version}}' 2>/dev/null; }

stop() {
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    local pid
    pid=$(cat "$pidfile")
    log "stopping dockerd $want (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && fail "dockerd $want (pid $pid) did not stop within 30s; see $cache/dockerd.log"
  fi
  rm -f "$pidfile" "$sock"
  if ip netns list | grep -qw "$netns"; then ip netns delete "$netns"; fi
  return 0
}

[ "$(id -u)" = 0 ] || fail "needs root (it starts a Docker daemon)"
case "${1:-start}" in
  stop) stop; exit 0 ;;
  exec)
    shift
    answers >/dev/null || fail "Docker $want is not running: run $0 start first"
    exec nsenter --net="/run/netns/$netns" env DOCKER_HOST="$host" "$@"
    ;;
  start) ;;
  *) fail "usage: $0 [start|stop|exec CMD...]" ;;
esac

if v=$(answers); then
  case "$v" in "$want".*) echo "$host"; exit 0 ;; *) fail "$sock answers, but with Docker $v, not $want" ;; esac
fi

# What the engine needs from the machine: bookworm's runc (and tini for `init: true`), iptables, ip.
missing=()
command -v runc >/dev/null || missing+=(runc)
command -v docker-init >/dev/null || missing+=(tini)
command -v iptables >/dev/null || missing+=(iptables)
command -v ip >/dev/null || missing+=(iproute2)
command -v docker >/dev/null || fail "the docker client is missing: run scripts/ensure-docker.sh first"
if [ ${#missing[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || fail "missing ${missing[*]} and no apt-get to install them"
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The engine's binaries, once.
if ! [ -x "$bin/usr/sbin/dockerd" ] || ! "$bin/usr/sbin/dockerd" --version | grep -q "version $want\."; then
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "apt-get and dpkg are needed to fetch Docker $want from Debian trixie"
  apt=$cache/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "deb http://deb.debian.org/debian trixie main" >"$apt/sources.list"
  opts=(-o "Dir::Etc::sourcelist=$apt/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt/lists"
    -o "Dir::Cache=$apt/cache" -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root -qq)
  log "fetching docker.io and containerd from Debian trixie (private apt lists in $apt)"
  apt-get "${opts[@]}" update || fail "apt-get update of trixie's package lists failed (is deb.debian.org reachable?)"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/docker26-fetch-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get "${opts[@]}" download docker.io containerd) || fail "apt-get download docker.io containerd (trixie) failed"
  for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/root"; done
  v=$("$tmp/root/usr/sbin/dockerd" --version) || fail "trixie's dockerd does not run here"
  case "$v" in *"version $want."*) ;; *) fail "trixie's docker.io is now '$v', not $want: update want= in $0" ;; esac
  rm -rf "$bin" && mv "$tmp/root" "$bin"
fi

# Its own network namespace, with a loopback (published ports and host-network services bind there).
if ! ip netns list | grep -qw "$netns"; then ip netns add "$netns"; fi
ip -n "$netns" link set lo up

mkdir -p "$run" "$cache/data"
echo '{}' >"$cache/daemon.json" # not the machine's /etc/docker/daemon.json
log "starting dockerd $want on $sock"
(
  # Its own containerd and shim first on PATH; runc is bookworm's.
  export PATH=$bin/usr/sbin:$bin/usr/bin:$PATH
  exec nsenter --net="/run/netns/$netns" setsid dockerd --config-file "$cache/daemon.json" -H "$host" --pidfile "$pidfile" \
    --data-root "$cache/data" --exec-root "$run" --cgroup-parent aixcl-docker26 \
    --userland-proxy-path "$bin/usr/sbin/docker-proxy" >"$cache/dockerd.log" 2>&1
) &
for _ in $(seq 1 60); do answers >/dev/null && break; sleep 1; done
v=$(answers) || { tail -20 "$cache/dockerd.log" >&2; stop; fail "dockerd $want did not come up; see $cache/dockerd.log"; }
log "ok: engine $v, API $(DOCKER_HOST=$host docker version --format '{{.Server.APIVersion}}')"
echo "$host"
