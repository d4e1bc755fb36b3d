#!/usr/bin/env bash
# Installs the tools as commands that run their exported jars, with no JBang at run time (JBang's
# own JVM would start at every run before the tool's: docs/performance.md). Needs a JDK 17+ and
# JBang (or this repository's ./jbang) once, to export; afterwards only a JRE.
#   deploy/install.sh [PREFIX]      commands in PREFIX/bin, jars in PREFIX/share/influx-tools
#                                   (default PREFIX: ~/.local)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-$HOME/.local}
home="$prefix/share/influx-tools"
"$root/deploy/export.sh" "$home" >/dev/null
cp "$root/deploy/launch.sh" "$home/launch.sh"
chmod 755 "$home/launch.sh"
# Archives recorded for the previous jars no longer match them.
rm -f "$home"/*.aot "$home"/*.jsa
mkdir -p "$prefix/bin"
for tool in bucketmapper tokenmaker taskmaker; do
  printf '#!/bin/sh\nexec "%s/launch.sh" %s "$@"\n' "$home" "$tool" > "$prefix/bin/$tool"
  chmod 755 "$prefix/bin/$tool"
  echo "installed $prefix/bin/$tool"
done
