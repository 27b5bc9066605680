#!/usr/bin/env bash
# `npm run clean:standins`: removes every stand-in image the tests built (they carry the label
# dev.aixcl.standin; see test/support/standins.ts) from the engine DOCKER_HOST points at (default: the
# local one). Stand-ins are kept between runs as a cache; they are named under aixcl-standin.invalid/,
# so no real stack ever runs one by mistake, but this removes them all.
set -euo pipefail
label=dev.aixcl.standin
mapfile -t refs < <(docker image ls --filter "label=$label" --format '{{.Repository}}:{{.Tag}}' | grep -v '<none>' | sort -u)
mapfile -t untagged < <(docker image ls --filter "label=$label" --filter dangling=true -q | sort -u)
if [ ${#refs[@]} -eq 0 ] && [ ${#untagged[@]} -eq 0 ]; then echo "no stand-in images"; exit 0; fi
# By name (not by ID): an image with several names loses each; one still used by a container is reported, not forced.
docker image rm "${refs[@]}" "${untagged[@]}"
left=$(docker image ls --filter "label=$label" -q | sort -u | wc -l)
[ "$left" = 0 ] || { echo "remove-standins: $left stand-in image(s) still in use by containers (docker ps -a)" >&2; exit 1; }
echo "removed ${#refs[@]} stand-in image name(s)"
