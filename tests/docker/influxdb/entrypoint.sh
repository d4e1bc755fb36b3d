#!/bin/bash
# The official influxdb:2.x image's start-up contract, for the stand-in image:
# - on first start (no bolt file yet) with DOCKER_INFLUXDB_INIT_MODE=setup, influxd is started on
#   127.0.0.1:$INFLUXD_INIT_PORT only, set up from DOCKER_INFLUXDB_INIT_USERNAME, _PASSWORD, _ORG,
#   _BUCKET and the optional _RETENTION (a duration such as 1w or 72h) and _ADMIN_TOKEN, then the
#   scripts in /docker-entrypoint-initdb.d run, and it stops again;
# - then influxd runs for real on :8086, as the influxdb user. So port 8086 answers only once the
#   set-up is complete, which is what a client waiting for /ping relies on.
# The 1.x upgrade mode of the official image is not offered: tests never need it.
set -euo pipefail

say() { printf 'influxdb-standin: %s\n' "$*" >&2; }

if [[ "${1:-}" == -* ]]; then
  set -- influxd "$@"
fi

# Root only hands the data folders to the influxdb user and starts again as that user.
if [[ "$(id -u)" == 0 && "${1:-}" == influxd ]]; then
  chown -R influxdb:influxdb /var/lib/influxdb2 /etc/influxdb2
  exec setpriv --reuid=influxdb --regid=influxdb --init-groups "$0" "$@"
fi

# A duration literal (1w, 72h, 1h30m, 0) in whole seconds, as the set-up API takes it.
duration_seconds() {
  local rest=$1 total=0 number unit
  [[ "$rest" == 0 ]] && { echo 0; return; }
  while [[ -n "$rest" ]]; do
    if [[ ! "$rest" =~ ^([0-9]+)(ns|us|µs|ms|s|m|h|d|w)(.*)$ ]]; then
      say "DOCKER_INFLUXDB_INIT_RETENTION: not a duration: $1"
      return 1
    fi
    number=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
    case "$unit" in
      w) total=$((total + number * 604800)) ;;
      d) total=$((total + number * 86400)) ;;
      h) total=$((total + number * 3600)) ;;
      m) total=$((total + number * 60)) ;;
      s) total=$((total + number)) ;;
      *) ;; # below a second
    esac
  done
  echo "$total"
}

json_string() {
  local value=${1//\\/\\\\}
  value=${value//\"/\\\"}
  printf '"%s"' "$value"
}

setup() {
  local missing=() name
  for name in USERNAME PASSWORD ORG BUCKET; do
    local var=DOCKER_INFLUXDB_INIT_$name
    [[ -n "${!var:-}" ]] || missing+=("$var")
  done
  if ((${#missing[@]})); then
    say "DOCKER_INFLUXDB_INIT_MODE=setup needs ${missing[*]}"
    exit 1
  fi
  local retention=0
  if [[ -n "${DOCKER_INFLUXDB_INIT_RETENTION:-}" ]]; then
    retention=$(duration_seconds "$DOCKER_INFLUXDB_INIT_RETENTION")
  fi
  local body
  body="{\"username\":$(json_string "$DOCKER_INFLUXDB_INIT_USERNAME"),\"password\":$(json_string "$DOCKER_INFLUXDB_INIT_PASSWORD")"
  body+=",\"org\":$(json_string "$DOCKER_INFLUXDB_INIT_ORG"),\"bucket\":$(json_string "$DOCKER_INFLUXDB_INIT_BUCKET")"
  body+=",\"retentionPeriodSeconds\":$retention"
  if [[ -n "${DOCKER_INFLUXDB_INIT_ADMIN_TOKEN:-}" ]]; then
    body+=",\"token\":$(json_string "$DOCKER_INFLUXDB_INIT_ADMIN_TOKEN")"
  fi
  body+="}"

  local init_url="http://127.0.0.1:$INFLUXD_INIT_PORT"
  say "setting up org and bucket on a first start"
  "$@" --http-bind-address "127.0.0.1:$INFLUXD_INIT_PORT" &
  local pid=$! tries=0
  until curl -fs -o /dev/null "$init_url/ping"; do
    if ! kill -0 "$pid" 2>/dev/null || ((++tries > 600)); then
      say "influxd did not come up for the set-up"
      exit 1
    fi
    sleep 0.1
  done
  # The body holds the password and token: curl reads it from stdin, so it is in no argument list.
  if ! printf '%s' "$body" | curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' \
      --data-binary @- "$init_url/api/v2/setup"; then
    say "set-up request failed"
    kill "$pid"
    exit 1
  fi
  local script
  for script in /docker-entrypoint-initdb.d/*; do
    [[ -f "$script" && -x "$script" ]] || continue
    say "running $script"
    INFLUX_HOST=$init_url INFLUX_TOKEN=${DOCKER_INFLUXDB_INIT_ADMIN_TOKEN:-} INFLUX_ORG=$DOCKER_INFLUXDB_INIT_ORG "$script"
  done
  kill "$pid"
  wait "$pid" || true
  say "set-up complete"
}

# Only a server start sets up: influxd alone, with options, or "influxd run" (not "influxd version").
if [[ "${1:-}" == influxd ]] && { [[ $# -eq 1 || "$2" == -* || "$2" == run ]]; }; then
  mode=${DOCKER_INFLUXDB_INIT_MODE:-}
  if [[ -n "$mode" && ! -f "$INFLUXD_BOLT_PATH" ]]; then
    case "$mode" in
      setup) setup "$@" ;;
      *) say "DOCKER_INFLUXDB_INIT_MODE=$mode is not supported by this stand-in (only setup)"; exit 1 ;;
    esac
  fi
fi
exec "$@"
