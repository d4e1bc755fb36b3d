#!/bin/sh
# The container's entry point. Without a tool name it runs the scheduled tools in turn,
# bucketmapper then taskmaker, passing both the same arguments (e.g. --dry-run), logs each result
# and exits with the worst exit code. With a tool name first it runs only that tool:
#   entrypoint.sh                        # the CronJob
#   entrypoint.sh tokenmaker --for taskmaker
# Configuration comes from the environment (INFLUXDB_URL, INFLUXDB_ORG, ...). Each scheduled tool
# runs with its own token, BUCKETMAPPER_TOKEN or TASKMAKER_TOKEN: bucketmapper's can delete buckets
# and taskmaker's can make tasks, so neither is handed to the other tool. A tool whose own variable
# is unset gets INFLUXDB_TOKEN (one token for both, as before); tokenmaker always does.
set -u
home=$(cd "$(dirname "$0")" && pwd)
java_cmd=${JAVA_CMD:-java}
# The scripts' //RUNTIME_OPTIONS: a short run is done sooner without C2 and with the serial GC,
# and a small young generation keeps its memory flat however large the org.
JAVA_OPTS=${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m}

# Runs one tool in a subshell that holds only that tool's token.
run_tool() {
  tool=$1
  shift
  (
    case "$tool" in
      bucketmapper) own=${BUCKETMAPPER_TOKEN:-} ;;
      taskmaker) own=${TASKMAKER_TOKEN:-} ;;
      *) own= ;;
    esac
    unset BUCKETMAPPER_TOKEN TASKMAKER_TOKEN
    if [ -n "$own" ]; then
      INFLUXDB_TOKEN=$own
      export INFLUXDB_TOKEN
      unset INFLUX_TOKEN
    elif [ -z "${INFLUXDB_TOKEN:-}${INFLUX_TOKEN:-}" ] && [ "$tool" != tokenmaker ]; then
      case " $* " in
        *" --token"*) ;;
        *) echo "influx-tools: no token for $tool: set $(echo "$tool" | tr '[:lower:]' '[:upper:]')_TOKEN (or INFLUXDB_TOKEN)" >&2 ;;
      esac
    fi
    # The tool's AOT cache, trained when the image was built (deploy/train-aot.sh). A cache this
    # JVM cannot use is passed over without a word: the JVM's notes would mix with --json on stdout.
    # JAVA_OPTS comes after, so that an operator's -Xlog or -XX:AOTMode wins.
    aot=
    [ -f "$home/$tool.aot" ] && aot="-XX:AOTCache=$home/$tool.aot -Xlog:aot=off -Xlog:cds=off"
    # shellcheck disable=SC2086
    exec "$java_cmd" $aot ${JAVA_OPTS:-} -jar "$home/$tool.jar" "$@"
  )
}

case "${1:-}" in
  bucketmapper|tokenmaker|taskmaker)
    tool=$1
    shift
    run_tool "$tool" "$@"
    exit $?
    ;;
esac

worst=0
for tool in bucketmapper taskmaker; do
  echo "influx-tools: $tool starting" >&2
  run_tool "$tool" "$@"
  code=$?
  if [ "$code" -eq 0 ]; then
    echo "influx-tools: $tool succeeded" >&2
  elif [ "$code" -eq 4 ]; then
    echo "influx-tools: $tool held back changes its token may not make (exit code 4): see its held: line" >&2
  else
    echo "influx-tools: $tool FAILED with exit code $code" >&2
  fi
  [ "$code" -gt "$worst" ] && worst=$code
done
exit "$worst"
