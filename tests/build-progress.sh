# Progress for the long builds, sourced by tests/build-influxd.sh and tests/build-telegraf.sh:
# the compilers' own output (hundreds of lines, no sense of how far along) goes to a log file,
# and the terminal gets one line as each phase starts and one as it ends, with elapsed seconds.
# If the build fails, the log's last lines follow, so the cause shows without opening the file.
#
# The sourcing script defines say() and sets $log before calling log_start.

build_started=$SECONDS
phase_name=""
phase_started=0

log_start() {
  mkdir -p "$(dirname "$log")"
  : >"$log"
  say "full build log: $log"
  trap log_on_exit EXIT
}

# phase "2/3 Rust" "libflux (about 2 minutes)": ends the current phase, starts the next.
phase() {
  phase_end
  phase_name=$1
  phase_started=$SECONDS
  say "[$((SECONDS - build_started))s] $1: $2"
  printf '\n=== %s: %s\n' "$1" "$2" >>"$log"
}

phase_end() {
  if [[ -n "$phase_name" ]]; then
    say "[$((SECONDS - build_started))s] $phase_name: done in $((SECONDS - phase_started))s"
    phase_name=""
  fi
}

# Runs a command with its output in the log.
logged() {
  "$@" >>"$log" 2>&1
}

log_on_exit() {
  local status=$?
  if ((status != 0)); then
    say "FAILED${phase_name:+ in phase $phase_name} after $((SECONDS - build_started))s (exit $status); last lines of $log:"
    tail -n 30 "$log" | sed 's/^/  | /' >&2
  fi
  exit "$status"
}
