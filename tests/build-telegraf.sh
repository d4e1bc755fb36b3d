#!/usr/bin/env bash
# Builds Telegraf from source through the Go module proxy, with only the plugins the alert tests
# use: kube_inventory and disk in, influxdb_v2 and file out. The tests feed taskmaker's tasks with
# what the real Telegraf writes rather than with hand-written points.
# Idempotent: a finished binary is reused. Prints the binary's path on stdout, progress on stderr.
#
#   tests/build-telegraf.sh            # build (or reuse) and print the path
#   TELEGRAF_VERSION=v1.37.2 INFLUX_TOOLS_CACHE=~/.cache/influx-tools tests/build-telegraf.sh
set -euo pipefail

version="${TELEGRAF_VERSION:-v1.37.2}"
cache="${INFLUX_TOOLS_CACHE:-$HOME/.cache/influx-tools}"
out="$cache/telegraf-$version/telegraf"
tags="custom,inputs.kube_inventory,inputs.disk,outputs.influxdb_v2,outputs.file"

say() { printf 'build-telegraf: %s\n' "$*" >&2; }

if [[ -x "$out" ]]; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { say "missing 'go' (a Go toolchain as new as Telegraf's go.mod asks for)"; exit 1; }

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$(dirname "$out")"
say "building telegraf $version with $(go version) (first time takes a few minutes)"
# 'go install module@version' builds the released module as published (Telegraf has no replace
# directives), so no checkout is needed; GOBIN is a private folder so a half-built binary never
# sits at $out.
gobin="$cache/telegraf-$version/.gobin"
rm -rf "$gobin"
GOBIN="$gobin" go install -trimpath -tags "$tags" \
  -ldflags "-s -w -X github.com/influxdata/telegraf/internal.Version=${version#v}" \
  "github.com/influxdata/telegraf/cmd/telegraf@$version" >&2
mv "$gobin/telegraf" "$out"
rm -rf "$gobin"
say "built $out"
echo "$out"
