#!/usr/bin/env bash
# Start-up of hubctl, measured as a user sees it: wall time of whole processes, median of N runs.
#
#   HUBCTL_ENDPOINT=... HUBCTL_TOKEN=... cli/measure-startup.sh [RUNS]
#
# Variants: the plain JVM (java -jar cli/target/hubctl.jar, no tuning), the launcher without its
# CDS archive (HUBCTL_CDS=0), and the launcher as installed (JVM flags and the CDS archive).
# 'providers list' needs a running hub (e.g. scripts/run) named by HUBCTL_ENDPOINT/HUBCTL_TOKEN.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-10}"
times="$(mktemp)"
trap 'rm -f "$times"' EXIT
java="$(sed -n 2p cli/target/hubctl-java.cache 2>/dev/null || true)/bin/java"
[[ -x "$java" ]] || { scripts/hubctl --version >/dev/null; java="$(sed -n 2p cli/target/hubctl-java.cache)/bin/java"; }

# Prints the median wall and CPU (user + sys) time in milliseconds of running "$@" $runs times.
# On a busy machine wall time mostly measures the others; CPU time is the steadier figure.
measure() {
    local walls=() cpus=() out
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -o "$times" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
        out="$(tail -1 "$times")"
        walls+=("$(awk '{printf "%d", $1 * 1000}' <<< "$out")")
        cpus+=("$(awk '{printf "%d", ($2 + $3) * 1000}' <<< "$out")")
    done
    printf 'wall median %5d ms (min %5d)   cpu median %5d ms\n' "$(median "${walls[@]}")" \
        "$(printf '%s\n' "${walls[@]}" | sort -n | head -1)" "$(median "${cpus[@]}")"
}

median() {
    printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'
}

# A first run after a build makes the CDS archive in the background; wait for it (not counted).
scripts/hubctl --version >/dev/null 2>&1
for _ in $(seq 1 120); do
    [[ -n "$(find cli/target -maxdepth 1 -name 'hubctl-jdk*.jsa')" && ! -d cli/target/hubctl-cds.lock ]] && break
    sleep 1
done
echo "hubctl start-up, $runs runs each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$java" -version 2>&1 | head -1)"
for command in "--version" "providers list"; do
    read -r -a args <<< "$command"
    printf '%-16s plain java -jar      %s\n' "$command" "$(measure "$java" -jar cli/target/hubctl.jar "${args[@]}")"
    printf '%-16s launcher, no CDS     %s\n' "$command" "$(HUBCTL_CDS=0 measure scripts/hubctl "${args[@]}")"
    printf '%-16s launcher (CDS)       %s\n' "$command" "$(measure scripts/hubctl "${args[@]}")"
done
