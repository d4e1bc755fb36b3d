#!/bin/sh
# Runs one exported tool as an installed command (deploy/install.sh), with no JBang at run time:
#   launch.sh TOOL [ARGS...]
# The image's JVM options (JAVA_OPTS overrides them), plus an archive of the tool's classes that its
# first run with a given JDK records next to the jar, and every later run maps in: on JDK 25 and
# newer an AOT cache (JEP 483/514), before that a class-data sharing archive. The first run takes
# a second or two longer. An archive is recorded under a name of this process's own and renamed when
# complete, so that two first runs at once cannot leave a torn one.
set -u
home=$(cd "$(dirname "$0")" && pwd)
tool=$1
shift
java_cmd=${JAVA_CMD:-java}
JAVA_OPTS=${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m}

java_path=$(command -v "$java_cmd") || { echo "$tool: no java on PATH (set JAVA_CMD)" >&2; exit 3; }
java_path=$(readlink -f "$java_path")
release="${java_path%/bin/java}/release"
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null)
# An archive fits one JDK build: the key changes when the JDK at that path is updated.
jdk_key=$({ printf '%s\n' "$java_path"; cat "$release" 2>/dev/null; } | cksum | cut -d' ' -f1)
# The JVM's own log of the archive would mix with --json on stdout.
quiet="-Xlog:cds=off"
if [ "${feature:-0}" -ge 25 ]; then
  archive="$home/$tool-$jdk_key.aot"
  quiet="$quiet -Xlog:aot=off"
  use="-XX:AOTCache=$archive"
  record="-XX:AOTCacheOutput=$archive.$$"
else
  archive="$home/$tool-$jdk_key.jsa"
  use="-XX:SharedArchiveFile=$archive"
  record="-XX:ArchiveClassesAtExit=$archive.$$"
fi

if [ -f "$archive" ]; then
  # shellcheck disable=SC2086
  exec "$java_path" $JAVA_OPTS $quiet "$use" -jar "$home/$tool.jar" "$@"
fi
# shellcheck disable=SC2086
"$java_path" $JAVA_OPTS $quiet "$record" -jar "$home/$tool.jar" "$@"
code=$?
if [ -f "$archive.$$" ]; then
  mv -f "$archive.$$" "$archive" 2>/dev/null || rm -f "$archive.$$"
fi
exit "$code"
