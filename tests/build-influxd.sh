#!/usr/bin/env bash
# Builds InfluxDB OSS influxd from source, through the Go module proxy and crates.io only,
# because test machines have neither Docker nor a route to GitHub release downloads.
# Idempotent: a finished binary is reused. Prints the binary's path on stdout, progress on stderr.
#
#   tests/build-influxd.sh            # build (or reuse) and print the path
#   INFLUXD_VERSION=v2.9.1 INFLUX_TOOLS_CACHE=~/.cache/influx-tools tests/build-influxd.sh
set -euo pipefail

version="${INFLUXD_VERSION:-v2.9.1}"
cache="${INFLUX_TOOLS_CACHE:-$HOME/.cache/influx-tools}"
out="$cache/influxd-$version/influxd"

say() { printf 'build-influxd: %s\n' "$*" >&2; }

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
say "building influxd $version in $work (first time takes 15-30 minutes)"

# Downloads a module through the Go module proxy; prints its (read-only) folder in the module cache.
module_dir() {
  say "downloading $1"
  (cd "$work" && go mod download -json "$1") > "$work/module.json"
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

# 1. The influxd module itself.
src="$work/influxdb"
writable_copy "$(module_dir "github.com/influxdata/influxdb/v2@$version")" "$src" go.mod .
commit=$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",\{0,1\}$/\1/p' "$work/module.json" | head -c 7)

# 2. libflux, the Rust half of flux, at the version influxd's go.mod requires. Its build script
#    compiles the Flux standard library from ../stdlib, so that comes along.
flux_version=$(awk '$1 == "github.com/influxdata/flux" { print $2; exit }' "$src/go.mod")
flux="$work/flux"
writable_copy "$(module_dir "github.com/influxdata/flux@$flux_version")" "$flux" libflux/Cargo.toml libflux stdlib
libflux_a="$flux/libflux/target/release/libflux.a"
if [[ ! -f "$libflux_a" ]]; then
  say "building libflux with cargo ($(cargo --version))"
  (cd "$flux/libflux" && cargo build --release --locked -p flux --no-default-features --features cffi >&2)
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
say "building influxd with $(go version)"
mkdir -p "$(dirname "$out")"
(cd "$src" && go build -o "$out.tmp" \
  -tags sqlite_foreign_keys,sqlite_json \
  -ldflags "-s -w -X main.version=$version -X main.commit=${commit:-unknown}" \
  ./cmd/influxd >&2)
mv "$out.tmp" "$out"
say "built $out"
echo "$out"
