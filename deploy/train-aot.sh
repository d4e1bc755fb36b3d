#!/bin/sh
# Trains each exported tool's AOT cache (JDK 25 and newer; JEP 483/514) where the image is built:
# starts a throwaway influxd on loopback, sets up an org of three applications, runs each tool once
# with --dry-run under -XX:AOTCacheOutput, and stops the server. A cache made this way is as good as
# one trained on a large org (docs/performance.md); it must be made by the JVM that will run it,
# so run this in the image's last stage. With an older JDK it makes nothing and says so.
#   train-aot.sh INFLUXD [HOME]      HOME: where the tools' jars are (default: this script's folder)
# Needs curl. Writes HOME/TOOL.aot.
set -eu
influxd=${1:?usage: train-aot.sh INFLUXD [HOME]}
home=${2:-$(cd "$(dirname "$0")" && pwd)}
java_cmd=${JAVA_CMD:-java}
JAVA_OPTS=${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m}

java_path=$(readlink -f "$(command -v "$java_cmd")")
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${java_path%/bin/java}/release" 2>/dev/null)
if [ "${feature:-0}" -lt 25 ]; then
  echo "train-aot.sh: Java ${feature:-?} has no AOT cache (JDK 25+); nothing trained" >&2
  exit 0
fi

# A free port: a server already answering there could be someone else's.
port=${TRAIN_PORT:-18086}
while curl -s -o /dev/null "http://127.0.0.1:$port/health"; do
  port=$((port + 1))
done
work=$(mktemp -d)
"$influxd" --bolt-path "$work/bolt" --engine-path "$work/engine" --sqlite-path "$work/sqlite" \
  --http-bind-address "127.0.0.1:$port" --reporting-disabled --log-level error >"$work/influxd.log" 2>&1 &
server=$!
stop() {
  kill "$server" 2>/dev/null
  waited=0
  while kill -0 "$server" 2>/dev/null && [ "$waited" -lt 100 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -rf "$work"
}
trap stop EXIT
url="http://127.0.0.1:$port"
tries=0
until curl -fs "$url/health" >/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 120 ] || ! kill -0 "$server" 2>/dev/null; then
    echo "train-aot.sh: the throwaway influxd did not start:" >&2
    tail -5 "$work/influxd.log" >&2
    exit 1
  fi
  sleep 0.5
done

token="train-$$-$(date +%s)"
org_id=$(curl -fs -X POST "$url/api/v2/setup" -H 'Content-Type: application/json' \
  -d "{\"username\":\"train\",\"password\":\"train-$$-password\",\"org\":\"train\",\"bucket\":\"roundtable_internal_\",\"token\":\"$token\"}" \
  | sed -n 's/.*"orgID": *"\([0-9a-f]*\)".*/\1/p' | head -n 1)
[ -n "$org_id" ] || { echo "train-aot.sh: setting up the throwaway influxd failed" >&2; exit 1; }
for bucket in app1 app2 app3 multiapp_; do
  curl -fs -o /dev/null -X POST "$url/api/v2/buckets" -H "Authorization: Token $token" \
    -H 'Content-Type: application/json' -d "{\"orgID\":\"$org_id\",\"name\":\"$bucket\",\"retentionRules\":[]}"
done

for tool in bucketmapper taskmaker tokenmaker; do
  rm -f "$home/$tool.aot"
  # shellcheck disable=SC2086
  INFLUXDB_URL=$url INFLUXDB_ORG=train INFLUXDB_TOKEN=$token \
    "$java_path" $JAVA_OPTS -XX:AOTCacheOutput="$home/$tool.aot" -Xlog:aot=off -Xlog:cds=off \
    -jar "$home/$tool.jar" --dry-run >"$work/$tool.out" 2>&1 || true
  if [ ! -f "$home/$tool.aot" ]; then
    echo "train-aot.sh: no AOT cache for $tool:" >&2
    tail -5 "$work/$tool.out" >&2
    exit 1
  fi
  echo "train-aot.sh: $home/$tool.aot"
done
