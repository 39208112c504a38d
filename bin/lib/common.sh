# shellcheck shell=bash
# Shared by every launcher in bin/: find a JDK >= 25, build a module when its jar is missing or
# older than its sources, and run its main class with native access enabled.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MIN_JAVA=25
VERSION=0.1.0-SNAPSHOT

# Major version of the JDK at $1, from its release file (no JVM start needed).
jdk_major() {
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  if [ -z "$v" ] && [ -x "$1/bin/java" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  fi
  echo "${v:-0}"
}

# Prints the JDK home to use: JAVA_HOME if it is >= 25, else the newest >= 25 under /usr/lib/jvm.
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(jdk_major "$JAVA_HOME")" -ge "$MIN_JAVA" ]; then
    echo "$JAVA_HOME"
    return 0
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*/; do
    dir=${dir%/}
    [ -L "$dir" ] && continue
    [ -x "$dir/bin/javac" ] || continue
    major=$(jdk_major "$dir")
    if [ "$major" -ge "$MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
      best=$dir
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK >= $MIN_JAVA found (set JAVA_HOME or install one under /usr/lib/jvm)" >&2
    return 1
  fi
  echo "$best"
}

# maven ARGS...: Maven on the JDK found by find_jdk ($JDK). Maven 3.8's bundled Guava reads
# fields through sun.misc.Unsafe, which JDK 25 warns about on every start; allow it quietly.
maven() {
  JAVA_HOME="$JDK" MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}" mvn "$@"
}

# module_jar MODULE -> path of the module's jar
module_jar() {
  echo "$ROOT/$1/target/nostr-$1-$VERSION.jar"
}

# is_stale MODULE [DEPENDENCY_MODULE...]: true when MODULE's jar is missing or older than any
# source or pom of it, of its dependencies, or of the parent.
is_stale() {
  local module=$1
  shift
  local jar
  jar=$(module_jar "$module")
  [ -f "$jar" ] && [ -d "$ROOT/$module/target/lib" ] || return 0
  [ -z "$(find "$ROOT/pom.xml" -newer "$jar" -print -quit)" ] || return 0
  local m
  for m in "$module" "$@"; do
    [ -z "$(find "$ROOT/$m/src/main" "$ROOT/$m/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}

# ensure_built MODULE [DEPENDENCY_MODULE...]: builds MODULE (and what it depends on) when stale.
# Concurrent launchers serialize on a lock. Maven output goes to stderr: stdout is the program's.
ensure_built() {
  is_stale "$@" || return 0
  mkdir -p "$ROOT/.cache"
  (
    flock 9
    is_stale "$@" || exit 0
    echo "building $1 ..." >&2
    cd "$ROOT" && maven -q -B -Dstyle.color=never -pl "$1" -am package -DskipTests >&2
  ) 9>"$ROOT/.cache/build.lock"
}

# run_module MODULE MAIN_CLASS [DEPENDENCY_MODULE...] -- ARGS...
run_module() {
  local module=$1 main=$2
  shift 2
  local deps=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    deps+=("$1")
    shift
  done
  [ "${1:-}" = "--" ] && shift
  JDK=$(find_jdk) || exit 2
  ensure_built "$module" "${deps[@]}" || { echo "error: building $module failed" >&2; exit 2; }
  # shellcheck disable=SC2086
  exec "$JDK/bin/java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} \
    -cp "$(module_jar "$module"):$ROOT/$module/target/lib/*" "$main" "$@"
}
