#!/usr/bin/env bash
# Builds the container images a registry would otherwise serve, for machines that reach no
# container registry (CI here): from Debian's packages, and from the influxd that
# tests/build-influxd.sh builds. An image already present is kept (FORCE=1 builds again).
#
#   tests/docker/build-standins.sh [VERSION...]     (default: $INFLUXD_VERSION, else v2.9.1)
#
#   influx-tools/debian:bookworm       debootstrap --variant=minbase from the mirror apt uses here,
#                                      imported (needs root and debootstrap)
#   influx-tools/temurin:25-jdk, -jre  this machine's Temurin 25 (JDK25_HOME, default the one under
#                                      /usr/lib/jvm), for the Dockerfile's default BUILD_IMAGE and
#                                      RUNTIME_IMAGE, eclipse-temurin:25-jdk and -jre
#   influx-tools/openjdk:17-jdk, -jre  Debian's OpenJDK 17, for an image on JDK 17 (no AOT cache)
#   influx-tools/sshd:bookworm         for testcontainers/sshd (how containers reach the test host)
#   influx-tools/influxdb:X.Y.Z        for influxdb:X.Y.Z, the same DOCKER_INFLUXDB_INIT_* set-up
#
# Then tell the tests to use them (stdout prints these lines, ready for `eval`/`export`):
#   INFLUX_TOOLS_TEST_IMAGE=influx-tools/influxdb
#   TESTCONTAINERS_SSHD_CONTAINER_IMAGE=influx-tools/sshd:bookworm
#   TESTCONTAINERS_RYUK_DISABLED=true     (no image for Testcontainers' reaper; see docs/development.md)
# Uses the Docker engine of DOCKER_HOST, or the default one. Builds run with --network host, so
# that apt inside reaches the mirror the way this machine does.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

say() { printf 'build-standins: %s\n' "$*" >&2; }
have() { [[ -z "${FORCE:-}" ]] && docker image inspect "$1" >/dev/null 2>&1; }
build() { docker build --network host -q "$@" >/dev/null; }

versions=("$@")
((${#versions[@]})) || versions=("${INFLUXD_VERSION:-v2.9.1}")

base=influx-tools/debian:bookworm
if ! have "$base"; then
  command -v debootstrap >/dev/null || { say "needs debootstrap (apt-get install debootstrap)"; exit 1; }
  mirror=${DEBIAN_MIRROR:-$(apt-get indextargets --format '$(SITE) $(CODENAME)' 2>/dev/null \
    | awk '$2 == "bookworm" { print $1; exit }')}
  security=${DEBIAN_SECURITY_MIRROR:-$(apt-get indextargets --format '$(SITE) $(CODENAME)' 2>/dev/null \
    | awk '$2 == "bookworm-security" { print $1; exit }')}
  mirror=${mirror:-http://deb.debian.org/debian}
  security=${security:-http://deb.debian.org/debian-security}
  rootfs=$(mktemp -d "${TMPDIR:-/var/tmp}/influx-tools-rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  say "debootstrap bookworm from $mirror"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >&2
  cat > "$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
SOURCES
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    - "$base" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  say "imported $base"
fi

for kind in jdk jre; do
  image=influx-tools/openjdk:17-$kind
  if ! have "$image"; then
    say "building $image"
    build -t "$image" --build-arg BASE="$base" --build-arg PACKAGE="openjdk-17-$kind-headless" "$here/openjdk"
  fi
done

if ! have influx-tools/temurin:25-jdk || ! have influx-tools/temurin:25-jre; then
  jdk=${JDK25_HOME:-$(ls -d /usr/lib/jvm/temurin-25-jdk-* 2>/dev/null | head -n 1)}
  [[ -x "$jdk/bin/java" ]] || { say "needs a Temurin 25 JDK (set JDK25_HOME)"; exit 1; }
  context=$(mktemp -d "${TMPDIR:-/var/tmp}/influx-tools-temurin.XXXXXX")
  cp "$here/temurin/Dockerfile" "$context/"
  cp -a "$(readlink -f "$jdk")" "$context/jdk"
  # Debian's Temurin package links its trust store to the system's; the official image has a file.
  cp --remove-destination -L "$jdk/lib/security/cacerts" "$context/jdk/lib/security/cacerts"
  say "building influx-tools/temurin:25-jdk and -jre from $jdk"
  build -t influx-tools/temurin:25-jdk -t influx-tools/temurin:25-jre --build-arg BASE="$base" "$context"
  rm -rf "$context"
fi

if ! have influx-tools/sshd:bookworm; then
  say "building influx-tools/sshd:bookworm"
  build -t influx-tools/sshd:bookworm --build-arg BASE="$base" "$here/sshd"
fi

for version in "${versions[@]}"; do
  image=influx-tools/influxdb:${version#v}
  have "$image" && continue
  binary=$(INFLUXD_VERSION=$version "$root/tests/build-influxd.sh")
  context=$(mktemp -d "${TMPDIR:-/var/tmp}/influx-tools-influxdb.XXXXXX")
  cp "$here/influxdb/Dockerfile" "$here/influxdb/entrypoint.sh" "$context/"
  cp "$binary" "$context/influxd"
  say "building $image from $binary"
  build -t "$image" --build-arg BASE="$base" "$context"
  rm -rf "$context"
done

echo "INFLUX_TOOLS_TEST_IMAGE=influx-tools/influxdb"
echo "TESTCONTAINERS_SSHD_CONTAINER_IMAGE=influx-tools/sshd:bookworm"
echo "TESTCONTAINERS_RYUK_DISABLED=true"
