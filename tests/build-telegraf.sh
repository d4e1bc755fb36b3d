#!/usr/bin/env bash
# Builds Telegraf from source through the Go module proxy, with only the plugins the alert tests
# use: kube_inventory and disk in, influxdb_v2 and file out. The tests feed taskmaker's tasks with
# what the real Telegraf writes rather than with hand-written points.
# Idempotent: a finished binary is reused. Prints the binary's path on stdout; on stderr, one line
# as each phase (download, Go) starts and ends, while the full output goes to a log file under the
# cache (tests/build-progress.sh).
#
#   tests/build-telegraf.sh            # build (or reuse) and print the path
#   TELEGRAF_VERSION=v1.37.2 INFLUX_TOOLS_CACHE=~/.cache/influx-tools tests/build-telegraf.sh
set -euo pipefail

version="${TELEGRAF_VERSION:-v1.37.2}"
cache="${INFLUX_TOOLS_CACHE:-$HOME/.cache/influx-tools}"
out="$cache/telegraf-$version/telegraf"
tags="custom,inputs.kube_inventory,inputs.disk,outputs.influxdb_v2,outputs.file"

log="$cache/logs/build-telegraf-$version.log"

say() { printf 'build-telegraf: %s\n' "$*" >&2; }
# shellcheck source=tests/build-progress.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-progress.sh"

if [[ -x "$out" ]]; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { say "missing 'go' (a Go toolchain as new as Telegraf's go.mod asks for)"; exit 1; }

export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$(dirname "$out")"
say "building telegraf $version from source (once; about 2 minutes on 2 cores)"
log_start
# The released module as published (Telegraf has no replace directives) is the main module, built
# where the module cache keeps it: no checkout is needed, and nothing there is written.
phase "1/2 download" "Telegraf's sources and the Go modules its plugins here need"
echo "downloading github.com/influxdata/telegraf@$version" >>"$log"
# Its errors come as JSON on stdout, so that goes to the log too.
go mod download -json "github.com/influxdata/telegraf@$version" 2>>"$log" | tee "$cache/telegraf-$version/module.json" >>"$log"
src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$cache/telegraf-$version/module.json")
# 'go list -deps' loads exactly the packages this build imports, which downloads their modules and
# no others: Telegraf requires hundreds it does not need with only these plugins.
(cd "$src" && go list -deps -tags "$tags" ./cmd/telegraf >/dev/null 2>>"$log")

phase "2/2 Go" "telegraf with $(go version | cut -d' ' -f3) (about 2 minutes on 2 cores)"
# Built to a temporary name, so that a half-built binary never sits at $out.
(cd "$src" && logged go build -o "$out.tmp" -trimpath -tags "$tags" \
  -ldflags "-s -w -X github.com/influxdata/telegraf/internal.Version=${version#v}" \
  ./cmd/telegraf)
mv "$out.tmp" "$out"
phase_end
say "built $out"
echo "$out"
