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

# 1. The influxd module itself; copied because the module cache is read-only.
say "downloading github.com/influxdata/influxdb/v2@$version"
(cd "$work" && go mod download -json "github.com/influxdata/influxdb/v2@$version") > "$work/influxdb.json"
src_ro=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$work/influxdb.json")
src="$work/influxdb"
if [[ ! -f "$src/go.mod" ]]; then
  rm -rf "$src"
  cp -r "$src_ro" "$src"
  chmod -R u+w "$src"
fi

# 2. libflux, the Rust half of flux, at the version influxd's go.mod requires.
flux_version=$(awk '$1 == "github.com/influxdata/flux" { print $2; exit }' "$src/go.mod")
say "downloading github.com/influxdata/flux@$flux_version"
(cd "$src" && go mod download -json "github.com/influxdata/flux@$flux_version") > "$work/flux.json"
flux_ro=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' "$work/flux.json")
flux="$work/flux"
if [[ ! -f "$flux/libflux/Cargo.toml" ]]; then
  rm -rf "$flux"
  mkdir -p "$flux"
  # libflux's build script compiles the Flux standard library from ../stdlib.
  cp -r "$flux_ro/libflux" "$flux_ro/stdlib" "$flux/"
  chmod -R u+w "$flux"
fi
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
commit=$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",\{0,1\}$/\1/p' "$work/influxdb.json" | head -c 7)
mkdir -p "$(dirname "$out")"
(cd "$src" && go build -o "$out.tmp" \
  -tags sqlite_foreign_keys,sqlite_json \
  -ldflags "-s -w -X main.version=$version -X main.commit=${commit:-unknown}" \
  ./cmd/influxd >&2)
mv "$out.tmp" "$out"
say "built $out"
echo "$out"
