#!/usr/bin/env bash
# Where a JVM's CPU goes, by thread group: samples `jcmd PID Thread.print` twice, SECONDS apart,
# and prints the CPU each group of platform threads used in between (names with digits folded:
# verify-0 and verify-1 -> verify-#; ForkJoinPool-1-worker-3 -> ForkJoinPool-#-worker-#, the
# carriers of virtual threads, i.e. Jetty's I/O, parsing and routing).
#
#   bench/scripts/thread-cpu.sh PID SECONDS
set -euo pipefail
pid=${1:?usage: thread-cpu.sh PID SECONDS}
secs=${2:?usage: thread-cpu.sh PID SECONDS}
jcmd=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$jcmd" "$pid" Thread.print >"$a"
sleep "$secs"
"$jcmd" "$pid" Thread.print >"$b"
extract() { sed -nE 's/^"([^"]+)".* cpu=([0-9.]+)ms.*/\1\t\2/p' "$1"; }
join -t $'\t' <(extract "$a" | sort -t $'\t' -k1,1) <(extract "$b" | sort -t $'\t' -k1,1) |
  awk -F'\t' -v secs="$secs" '{ g = $1; gsub(/[0-9]+/, "#", g); d[g] += $3 - $2; t += $3 - $2 }
    END { for (g in d) if (d[g] > 0) printf "%9.0f ms  %5.1f%%  %s\n", d[g], 100 * d[g] / t, g;
          printf "%9.0f ms  total over %s s (%.2f cores)\n", t, secs, t / 1000 / secs }' | sort -rn
