# shellcheck shell=bash
# Shared helpers for the Integration Hub scripts.
#
# Source it (do not execute it):
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# It is safe under `set -euo pipefail` and does not change the caller's shell
# options. It defines:
#   REPO_ROOT      absolute path of the repository (from this file's location)
#   HUB_STATE_DIR  $REPO_ROOT/.hub, where all runtime state lives (git-ignored)
#   hub_log MSG    prints "[<prefix>] MSG" to stderr (prefix: $HUB_LOG_PREFIX, default "services")
#   hub_die MSG    prints "[<prefix>] ERROR: MSG" to stderr and exits 1
#   hub_java_major JAVA_BIN   prints the feature version (8, 17, 21, 25 ...) of a java binary
#   hub_find_jdk   exports JAVA_HOME (a JDK >= 21), PATH and, on JDK >= 24, MAVEN_OPTS

if [[ -n "${HUB_COMMON_SOURCED:-}" ]]; then
    return 0
fi
HUB_COMMON_SOURCED=1

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
HUB_STATE_DIR="$REPO_ROOT/.hub"
HUB_MIN_JAVA=21
export REPO_ROOT HUB_STATE_DIR

hub_log() {
    printf '[%s] %s\n' "${HUB_LOG_PREFIX:-services}" "$*" >&2
}

hub_die() {
    printf '[%s] ERROR: %s\n' "${HUB_LOG_PREFIX:-services}" "$*" >&2
    exit 1
}

# Prints the major (feature) version of the given java binary, or nothing if it
# cannot be run. Handles "1.8.0_x", "17.0.15", "21-ea", "25.0.3" and a leading
# "Picked up JAVA_TOOL_OPTIONS" line.
hub_java_major() {
    local java_bin="$1" out major
    [[ -x "$java_bin" ]] || return 0
    out="$("$java_bin" -version 2>&1 </dev/null)" || return 0
    if [[ "$out" =~ version\ \"([0-9]+)(\.([0-9]+))? ]]; then
        major="${BASH_REMATCH[1]}"
        if [[ "$major" == 1 && -n "${BASH_REMATCH[3]}" ]]; then
            major="${BASH_REMATCH[3]}"
        fi
        printf '%s\n' "$major"
    fi
}

# Is the directory a JDK (java and javac) of version >= HUB_MIN_JAVA?
# Prints its major version when it is.
_hub_jdk_ok() {
    local dir="$1" major
    [[ -x "$dir/bin/java" && -x "$dir/bin/javac" ]] || return 1
    major="$(hub_java_major "$dir/bin/java")"
    [[ -n "$major" && "$major" -ge "$HUB_MIN_JAVA" ]] || return 1
    printf '%s\n' "$major"
}

hub_find_jdk() {
    local chosen="" chosen_major=0 major dir
    if [[ -n "${JAVA_HOME:-}" ]]; then
        if major="$(_hub_jdk_ok "$JAVA_HOME")"; then
            chosen="$JAVA_HOME"
            chosen_major="$major"
        else
            hub_log "ignoring JAVA_HOME=$JAVA_HOME: not a JDK $HUB_MIN_JAVA or newer"
        fi
    fi
    if [[ -z "$chosen" ]]; then
        for dir in /usr/lib/jvm/*; do
            [[ -d "$dir" ]] || continue
            if major="$(_hub_jdk_ok "$dir")" && [[ "$major" -gt "$chosen_major" ]]; then
                chosen="$dir"
                chosen_major="$major"
            fi
        done
    fi
    if [[ -z "$chosen" ]]; then
        printf '[%s] ERROR: %s\n' "${HUB_LOG_PREFIX:-services}" \
            "no JDK $HUB_MIN_JAVA or newer found: install one (e.g. apt-get install openjdk-21-jdk or Temurin) or set JAVA_HOME" >&2
        exit 1
    fi
    JAVA_HOME="$chosen"
    HUB_JAVA_MAJOR="$chosen_major"
    PATH="$JAVA_HOME/bin:$PATH"
    export JAVA_HOME HUB_JAVA_MAJOR PATH
    if [[ "$chosen_major" -ge 24 && " ${MAVEN_OPTS:-} " != *" --sun-misc-unsafe-memory-access=allow "* ]]; then
        MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
        export MAVEN_OPTS
    fi
}
