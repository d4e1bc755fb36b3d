#!/usr/bin/env bash
# Builds InfluxDB OSS influxd from source, through the Go module proxy and crates.io only,
# because test machines have neither Docker nor a route to GitHub release downloads.
# Idempotent: a finished binary is reused. Prints the binary's path on stdout; on stderr, one line
# as each phase (download, Rust, Go) starts and ends, while the full output goes to a log file
# under the cache (tests/build-progress.sh).
#
#   tests/build-influxd.sh            # build (or reuse) and print the path
#   INFLUXD_VERSION=v2.9.1 INFLUX_TOOLS_CACHE=~/.cache/influx-tools tests/build-influxd.sh
set -euo pipefail

version="${INFLUXD_VERSION:-v2.9.1}"
cache="${INFLUX_TOOLS_CACHE:-$HOME/.cache/influx-tools}"
out="$cache/influxd-$version/influxd"

log="$cache/logs/build-influxd-$version.log"

say() { printf 'build-influxd: %s\n' "$*" >&2; }
# shellcheck source=tests/build-progress.sh
source "$(dirname "${BASH_SOURCE[0]}")/build-progress.sh"

if [[ -x "$out" ]]; then
  echo "$out"
  exit 0
fi

for tool in go cargo gcc pkg-config; do
  command -v "$tool" >/dev/null || { say "missing '$tool' (apt-get install pkg-config gcc; Go and Rust toolchains)"; exit 1; }
done

export GOTOOLCHAIN=local GOFLAGS=-mod=mod
# rustup cannot download flux's pinned toolchain here; any current stable builds it.
export RUSTUP_TOOLCHAIN=stable
# flux's crates deny warnings under their 'strict' feature; newer lints must not break the build.
export RUSTFLAGS="--cap-lints=warn"

work="$cache/build-$version"
mkdir -p "$work"
say "building influxd $version from source in $work (once; about 8 minutes on 2 cores)"
log_start

# Downloads a module through the Go module proxy; prints its (read-only) folder in the module cache.
module_dir() {
  echo "downloading $1" >>"$log"
  # Its errors come as JSON on stdout, so that goes to the log too.
  (cd "$work" && go mod download -json "$1") 2>>"$log" | tee "$work/module.json" >>"$log" || return
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$work/module.json"
}

# Copies a module folder to where it can be built: the module cache is read-only.
writable_copy() {
  local from=$1 to=$2 marker=$3
  shift 3
  if [[ ! -f "$to/$marker" ]]; then
    rm -rf "$to"
    mkdir -p "$to"
    (cd "$from" && cp -r "$@" "$to/")
    chmod -R u+w "$to"
  fi
}

phase "1/3 download" "influxd's and flux's sources, the Go modules and Rust crates they need"
# 1. The influxd module itself.
src="$work/influxdb"
# (A variable first: a failed download then stops the script, as an argument it would not.)
module=$(module_dir "github.com/influxdata/influxdb/v2@$version")
writable_copy "$module" "$src" go.mod .
commit=$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",\{0,1\}$/\1/p' "$work/module.json" | head -c 7)

# 2. libflux, the Rust half of flux, at the version influxd's go.mod requires. Its build script
#    compiles the Flux standard library from ../stdlib, so that comes along.
flux_version=$(awk '$1 == "github.com/influxdata/flux" { print $2; exit }' "$src/go.mod")
flux="$work/flux"
module=$(module_dir "github.com/influxdata/flux@$flux_version")
writable_copy "$module" "$flux" libflux/Cargo.toml libflux stdlib
libflux_a="$flux/libflux/target/release/libflux.a"
# The rest is fetched now, so that the two build phases below only compile. 'go list -deps'
# loads exactly the packages influxd imports, which downloads their modules and no others.
(cd "$src" && go list -deps -tags sqlite_foreign_keys,sqlite_json ./cmd/influxd >/dev/null 2>>"$log")
if [[ ! -f "$libflux_a" ]]; then
  (cd "$flux/libflux" && logged cargo fetch --locked)
  phase "2/3 Rust" "libflux with $(cargo --version | cut -d' ' -f1-2) (about 2 minutes on 2 cores)"
  (cd "$flux/libflux" && logged cargo build --release --locked -p flux --no-default-features --features cffi)
else
  phase "2/3 Rust" "libflux already built ($libflux_a)"
fi

# 3. A pkg-config file for cgo, pointing at the static libflux.
mkdir -p "$work/pkgconfig"
cat > "$work/pkgconfig/flux.pc" <<PC
Name: flux
Description: libflux built for influx-tools tests
Version: ${flux_version#v}
Cflags: -I$flux/libflux/include
Libs: $libflux_a -ldl -lm -lpthread
PC
export PKG_CONFIG_PATH="$work/pkgconfig"

# 4. influxd, without the UI assets (tests never load the UI).
phase "3/3 Go" "influxd with $(go version | cut -d' ' -f3) (about 5 minutes on 2 cores)"
mkdir -p "$(dirname "$out")"
(cd "$src" && logged go build -o "$out.tmp" \
  -tags sqlite_foreign_keys,sqlite_json \
  -ldflags "-s -w -X main.version=$version -X main.commit=${commit:-unknown}" \
  ./cmd/influxd)
mv "$out.tmp" "$out"
phase_end
say "built $out"
echo "$out"
