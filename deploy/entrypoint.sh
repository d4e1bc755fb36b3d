#!/bin/sh
# The container's entry point. Without a tool name it runs the scheduled tools in turn,
# bucketmapper then taskmaker, passing both the same arguments (e.g. --dry-run), logs each result
# and exits with the worst exit code. With a tool name first it runs only that tool:
#   entrypoint.sh                        # the CronJob
#   entrypoint.sh tokenmaker --for taskmaker
# Configuration comes from the environment (INFLUXDB_URL, INFLUXDB_ORG, INFLUXDB_TOKEN, ...).
set -u
home=$(cd "$(dirname "$0")" && pwd)
java_cmd=${JAVA_CMD:-java}
# The scripts' //RUNTIME_OPTIONS: a short run is done sooner without C2 and with the serial GC,
# and a small young generation keeps its memory flat however large the org.
JAVA_OPTS=${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m}

case "${1:-}" in
  bucketmapper|tokenmaker|taskmaker)
    tool=$1
    shift
    # shellcheck disable=SC2086
    exec "$java_cmd" ${JAVA_OPTS:-} -jar "$home/$tool.jar" "$@"
    ;;
esac

worst=0
for tool in bucketmapper taskmaker; do
  echo "influx-tools: $tool starting" >&2
  # shellcheck disable=SC2086
  "$java_cmd" ${JAVA_OPTS:-} -jar "$home/$tool.jar" "$@"
  code=$?
  if [ "$code" -eq 0 ]; then
    echo "influx-tools: $tool succeeded" >&2
  else
    echo "influx-tools: $tool FAILED with exit code $code" >&2
  fi
  [ "$code" -gt "$worst" ] && worst=$code
done
exit "$worst"
