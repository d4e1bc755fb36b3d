#!/usr/bin/env bash
# Exports the tools as plain jars sharing one lib/ of dependencies, so that a machine (or the
# container image) runs them with nothing but a JRE and downloads nothing at run time.
#   deploy/export.sh OUT_DIR [TOOL...]      (default: all three tools)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: deploy/export.sh OUT_DIR [TOOL...]}
shift
tools=("$@")
((${#tools[@]})) || tools=(bucketmapper tokenmaker taskmaker)
mkdir -p "$out"
for tool in "${tools[@]}"; do
  "$root/jbang" export portable --force -O "$out/$tool.jar" "$root/$tool.java"
done
cp "$root/deploy/entrypoint.sh" "$root/deploy/train-aot.sh" "$out/"
