#!/usr/bin/env bash
# The hub's cost per call, side by side with a direct call and with nginx (DESIGN §10, issue 10).
#
#   bench/run.sh                  # full run (~6 min): prints the table, writes bench/results/<date>.md
#   bench/run.sh --quick          # ~1.5 min, for development (results go to bench/target/bench-work/)
#   bench/run.sh --keyed          # ~2 min: only the throughput of hub /call keyed (a fresh Idempotency-Key per call) and
#                                 unkeyed, interleaved, with the ratio per round and PostgreSQL statements and commits per
#                                 keyed call (with --compare, per build); writes bench/results/<date>T<time>-keyed.md
#   bench/run.sh --fair           # ~2 min: what issue 18's fair-share rules cost at admission: hub /proxy to a provider
#                                 with a class share, a module cap and a waiting line configured, against /proxy without
#                                 them, interleaved (with --compare NAME, also against that build's /proxy), CPU and
#                                 Valkey round trips per call with a verdict; writes bench/results/<date>T<time>-fair.md
#   bench/run.sh --profile        # the hub under wrk load with JFR (recording after start-up and JIT warm-up); prints CPU and allocation hot spots
#                                 (--profile-target call|proxy|keyed: that path alone; keyed = a new idempotency key per call)
#   bench/run.sh --tail           # where the latency tail comes from: slow answers vs the hub's safepoints
#   bench/run.sh --hold [SECONDS] # load hold (default 300 s): hub /call at half its peak, open loop, a row every
#                                 10 s (p50/p99/p99.9, errors, RSS, heap after GC, GCs) and a flat-or-not verdict;
#                                 writes bench/results/hold-<date>T<time>.md (shorter holds: bench/target/bench-work/)
#   bench/run.sh --large          # only the large-answer phase (issue 15; also part of the full run): MiB/s for 1 MiB and
#                                 30 MiB answers direct, via nginx, via hub /proxy and /call (16 concurrent clients), and the
#                                 hub's RSS and heap peak at 16 concurrent 30 MiB calls; writes bench/results/<date>T<time>-large.md
#   bench/run.sh --jmh [regex]    # JMH micro-benchmarks of the hot path, with -prof gc
#   bench/run.sh --snapshot NAME  # keep the current data-plane build as bench/target/hub-NAME ...
#   bench/run.sh --compare NAME   # ... and measure it side by side with the current build, in one run
#                                 (NAME may be a comma-separated list of kept builds)
#   bench/run.sh --peers DIR      # also measure the side-by-side peers in DIR (e.g. ../shared/peers: its README):
#                                 HAProxy and Spring Cloud Gateway, started with DIR/start-haproxy.sh and
#                                 DIR/start-scg.sh against the same upstream (SCG's limiter in the private Redis),
#                                 as extra targets in every phase, with a verdict for hub /proxy x SCG; without
#                                 --peers the bench needs nothing outside this repository
#   bench/run.sh --compare-jvm "OPTS|OPTS|..."  # JVM options per compared hub: with --compare, one set per kept
#                                 build; alone, the current build once per set (hubs j1, j2, ...) beside the
#                                 default hub, e.g. --compare-jvm "-Xms256m|-XX:+UseParallelGC" (GC settings)
#
# Other options: --rate N (the fixed offered rate of the latency phase, default 2000 as in DESIGN §10;
# a second latency phase always runs at half the hub's measured peak; with --hold, the hold's rate
# instead of half the peak measured just before it), --connections N (wrk, default
# 32), --rounds N, --seconds N, --hub-jvm "OPTIONS" (extra JVM options for the hub), --no-build, --wait-quiet [SECONDS]
# (wait, at most that long, default 180, for a 1-minute load average below 0.5 before measuring).
#
# What it runs, all on free ports of 127.0.0.1 and stopped at exit: an upstream nginx answering a
# ~200-byte JSON, nginx as a plain keep-alive reverse proxy to it, a private redis-server (so INFO
# commandstats counts only the hub's commands), a private PostgreSQL cluster (the machine's
# PostgreSQL binaries, initdb'd under /tmp: other sessions restarting the shared 5432 instance
# cannot disturb a run), and the hub (production mode, database hub_bench). --shared-services uses
# the machine's PostgreSQL 5432 (hub/hub) after scripts/services.sh up instead. Missing Debian
# packages (nginx-light, wrk, redis-server, postgresql) are installed with apt-get (as root).
# Load goes only to 127.0.0.1, and every loop is bounded.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
HUB_LOG_PREFIX=bench
cd "$REPO_ROOT"

MODE=full
BUILD=1
SHARED=0
WAIT_QUIET=0
JMH_ARGS=()
PASS=()
SNAPSHOT=""
COMPARE=""
COMPARE_JVM=""
PEERS=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) MODE=quick ;;
        --keyed) MODE=keyed ;;
        --fair) MODE=fair ;;
        --profile) MODE=profile ;;
        --tail) MODE=tail ;;
        --large) MODE=large ;;
        --hold)
            MODE=hold
            HOLD_SECONDS=300
            if [[ "${2:-}" =~ ^[0-9]+$ ]]; then HOLD_SECONDS="$2"; shift; fi
            ((HOLD_SECONDS >= 30)) || hub_die "--hold needs at least 30 seconds (three 10-second intervals)"
            PASS+=(--hold-seconds "$HOLD_SECONDS") ;;
        --jmh) MODE=jmh; shift; JMH_ARGS=("$@"); break ;;
        --no-build) BUILD=0 ;;
        --shared-services) SHARED=1 ;;
        --snapshot) SNAPSHOT="${2:?--snapshot NAME}"; shift ;;
        --compare) COMPARE="${2:?--compare NAME}"; shift ;;
        --wait-quiet)
            WAIT_QUIET=180
            if [[ "${2:-}" =~ ^[0-9]+$ ]]; then WAIT_QUIET="$2"; shift; fi ;;
        --peers) PEERS="$(cd "${2:?--peers DIR}" && pwd -P)" || hub_die "--peers: no directory $2"; shift ;;
        --compare-jvm) COMPARE_JVM="${2:?--compare-jvm \"OPTIONS|OPTIONS|...\"}"; shift ;;
        --rate|--connections|--rounds|--seconds|--note|--hub-jvm|--profile-target) PASS+=("$1" "${2:?$1 needs a value}"); shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | cut -c3-; exit 0 ;;
        *) hub_die "unknown option $1 (see bench/run.sh --help)" ;;
    esac
    shift
done

hub_find_jdk
WORK="$REPO_ROOT/bench/target/bench-work"
HUB_DIR="$REPO_ROOT/bench/target/hub"
mkdir -p "$WORK"

# ------------------------------------------------------------------ packages
need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v redis-server >/dev/null || need+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if ((${#need[@]} > 0)) && [[ "$MODE" != jmh || " ${need[*]} " == *" redis-server "* ]]; then
    [[ "$(id -u)" == 0 ]] || hub_die "missing ${need[*]}: install them (apt-get install ${need[*]}) or run as root"
    hub_log "installing ${need[*]} (apt-get)"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

# ------------------------------------------------------------------ build (once)
if [[ "$BUILD" == 1 ]]; then
    hub_log "building data-plane and bench (./mvnw package, tests skipped)"
    ./mvnw -q -B -ntp -pl bench -am package -DskipTests
fi
[[ -f data-plane/target/data-plane-0.1.0-SNAPSHOT.jar && -d bench/target/classes ]] || hub_die "nothing built: run without --no-build"
# A private copy: other builds in this tree (mvn clean) cannot pull the jar from under a running hub.
rm -rf "$HUB_DIR" && mkdir -p "$HUB_DIR"
cp -r data-plane/target/data-plane-0.1.0-SNAPSHOT.jar data-plane/target/libs "$HUB_DIR/"
if [[ -n "$SNAPSHOT" ]]; then
    rm -rf "bench/target/hub-$SNAPSHOT" && cp -r "$HUB_DIR" "bench/target/hub-$SNAPSHOT"
    hub_log "kept this build as bench/target/hub-$SNAPSHOT (compare with: bench/run.sh --compare $SNAPSHOT)"
    exit 0
fi
CP="bench/target/classes:bench/target/libs/*"

# ------------------------------------------------------------------ own processes, stopped at exit
PIDS_TO_STOP=()
PG_DIR=""
cleanup() {
    local f
    for f in "$WORK/upstream.pid" "$WORK/proxy.pid" "$WORK/redis.pid" "$WORK/haproxy-peer.pid" "$WORK/scg-peer.pid"; do
        [[ -s "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
        rm -f "$f"
    done
    if [[ -n "$PG_DIR" && -d "$PG_DIR" ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
trap cleanup EXIT

free_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    hub_die "no free port found"
}

wait_port() {
    local i
    for i in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    hub_die "nothing listens on 127.0.0.1:$1 after 5 s"
}

start_redis() {
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK" >/dev/null
    wait_port "$REDIS_PORT"
}

# PostgreSQL refuses to run as root: as root, the private cluster belongs to the postgres user.
as_pg() {
    if [[ "$(id -u)" == 0 ]]; then
        local cmd
        printf -v cmd '%q ' "$@"
        su postgres -s /bin/sh -c "$cmd"
    else
        "$@"
    fi
}

start_private_postgres() {
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    PG_PORT="$(free_port)"
    PG_DIR="$(mktemp -d /tmp/bench-pg.XXXXXX)"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$PG_DIR"
    as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U hub -A trust -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || hub_die "initdb failed: $(tail -3 "$PG_DIR/initdb.log")"
    # pg_stat_statements (when installed): the hub's PostgreSQL statements per call, counted as its Valkey commands are.
    local preload=""
    [[ -f "$PG_BIN/../lib/pg_stat_statements.so" ]] && preload="-c shared_preload_libraries=pg_stat_statements"
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 30 \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 $preload" start >/dev/null \
        || hub_die "private PostgreSQL did not start: $(tail -3 "$PG_DIR/postgres.log")"
}

if [[ "$MODE" == jmh ]]; then
    start_redis
    hub_log "JMH (redis-server on $REDIS_PORT for the admission benchmark); args: ${JMH_ARGS[*]:-(defaults)}"
    # Defaults unless the arguments set JMH options themselves (JMH refuses an option given twice).
    defaults=(-f 1 -wi 3 -w 2s -i 5 -r 2s -t 1)
    for a in "${JMH_ARGS[@]}"; do [[ "$a" == -* ]] && defaults=(); done
    "$JAVA_HOME/bin/java" -Dbench.redis.port="$REDIS_PORT" -cp "$CP" org.openjdk.jmh.Main \
        -prof gc "${defaults[@]}" "${JMH_ARGS[@]}"
    exit 0
fi

if [[ "$SHARED" == 1 ]]; then
    hub_log "services: scripts/services.sh up (the registry's PostgreSQL on 5432)"
    scripts/services.sh up >/dev/null 2>&1 || scripts/services.sh up
    PG_URL="jdbc:postgresql://127.0.0.1:5432/"
else
    start_private_postgres
    PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/"
fi

UPSTREAM_PORT="$(free_port)"
PROXY_PORT="$(free_port)"
PAYLOAD='{"id":"evt_01j9pintbench000000000000","object":"event","type":"payment.succeeded","created":1764100000,"livemode":false,"data":{"amount":4200,"currency":"eur","status":"succeeded","customer":"cus_bench_0001"},"request":null}'
mkdir -p "$WORK/nginx-tmp" "$WORK/large"
# The large-answer phase's files (random bytes: nothing on the way can compress them), written once.
for f in 1m:1 30m:30; do
    [[ "$(stat -c %s "$WORK/large/${f%%:*}.bin" 2>/dev/null)" == "$((${f#*:} * 1048576))" ]] \
        || head -c "$((${f#*:} * 1048576))" /dev/urandom >"$WORK/large/${f%%:*}.bin"
done
common_http="
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;"
cat >"$WORK/upstream.conf" <<EOF
worker_processes auto;
pid $WORK/upstream.pid;
error_log $WORK/upstream-error.log warn;
events { worker_connections 4096; }
http {
    $common_http
    server {
        listen 127.0.0.1:$UPSTREAM_PORT backlog=4096;
        location = /payload.json { default_type application/json; return 200 '$PAYLOAD'; }
        location = /limited.json { access_log $WORK/upstream-limited.log; default_type application/json; return 200 '$PAYLOAD'; }
        location = /fail.json { access_log $WORK/upstream-fail.log; default_type application/json; return 500 '{"error":"bench"}'; }
        location /large/ { alias $WORK/large/; default_type application/octet-stream; sendfile on; }
    }
}
EOF
cat >"$WORK/proxy.conf" <<EOF
worker_processes auto;
pid $WORK/proxy.pid;
error_log $WORK/proxy-error.log warn;
events { worker_connections 4096; }
http {
    $common_http
    upstream origin { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; }
    server {
        listen 127.0.0.1:$PROXY_PORT backlog=4096;
        location / {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
        # Large answers stream through nginx's memory buffers, not its temp files (the hub keeps no copy either),
        # in 64 KiB reads as the hub's copy loop (nginx's default 4-8 KiB buffers made it the slowest target).
        location /large/ {
            proxy_pass http://origin;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_max_temp_file_size 0;
            proxy_buffer_size 64k;
            proxy_buffers 8 64k;
            proxy_busy_buffers_size 128k;
        }
    }
}
EOF
rm -f "$WORK"/upstream-*.log "$WORK"/proxy-*.log
"$NGINX" -e "$WORK/upstream-error.log" -p "$WORK" -c "$WORK/upstream.conf"
"$NGINX" -e "$WORK/proxy-error.log" -p "$WORK" -c "$WORK/proxy.conf"
if [[ "$SHARED" == 1 ]]; then
    REDIS_PORT=6379
else
    start_redis
fi
wait_port "$UPSTREAM_PORT"
wait_port "$PROXY_PORT"
hub_log "upstream nginx :$UPSTREAM_PORT (${#PAYLOAD}-byte JSON), nginx proxy :$PROXY_PORT, redis-server :$REDIS_PORT, PostgreSQL $PG_URL"

if [[ "$WAIT_QUIET" -gt 0 ]]; then
    for i in $(seq 1 "$WAIT_QUIET"); do
        load="$(cut -d' ' -f1 /proc/loadavg)"
        awk -v l="$load" 'BEGIN { exit !(l < 0.5) }' && break
        ((i % 30 == 1)) && hub_log "waiting for a quiet machine: load average $load"
        sleep 1
    done
    hub_log "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
fi

ARGS=(--mode "$MODE" --work "$WORK" --results "$REPO_ROOT/bench/results" --hub-jar "$HUB_DIR/data-plane-0.1.0-SNAPSHOT.jar"
    --upstream-port "$UPSTREAM_PORT" --nginx-port "$PROXY_PORT" --redis-port "$REDIS_PORT" --pg-url "$PG_URL"
    --commit "$(git rev-parse --short HEAD 2>/dev/null || echo 'not a git checkout')$(git rev-parse HEAD >/dev/null 2>&1 \
        && ! git diff --quiet HEAD -- data-plane registry && echo ' + uncommitted data-plane/registry changes' || true)")
if [[ -n "$PEERS" ]]; then
    for script in start-haproxy.sh start-scg.sh; do
        [[ -x "$PEERS/$script" ]] || hub_die "--peers $PEERS: no executable $script there (see its README)"
    done
    HAPROXY_PORT="$(free_port)"
    SCG_PORT="$(free_port)"
    hub_log "peers from $PEERS: HAProxy :$HAPROXY_PORT, Spring Cloud Gateway :$SCG_PORT (the first start builds SCG, ~1 min)"
    # Their work directories (configs, logs, SCG's jar) stay under bench/target, where nothing else writes.
    PEER_WORK="$WORK/peer-haproxy" STATS_PORT="$(free_port)" \
        "$PEERS/start-haproxy.sh" "http://127.0.0.1:$UPSTREAM_PORT" "$HAPROXY_PORT" >"$WORK/haproxy-peer.pid"
    PEER_WORK="$WORK/peer-scg" SCG_BUILD_DIR="$REPO_ROOT/bench/target/scg-peer-build" REDIS_PORT="$REDIS_PORT" \
        "$PEERS/start-scg.sh" "http://127.0.0.1:$UPSTREAM_PORT" "$SCG_PORT" >"$WORK/scg-peer.pid"
    ARGS+=(--peer-haproxy "$HAPROXY_PORT:$(cat "$WORK/haproxy-peer.pid")" --peer-scg "$SCG_PORT:$(cat "$WORK/scg-peer.pid")")
fi
if [[ -n "$COMPARE" ]]; then
    jars=()
    IFS=, read -r -a names <<<"$COMPARE"
    for name in "${names[@]}"; do
        [[ -f "bench/target/hub-$name/data-plane-0.1.0-SNAPSHOT.jar" ]] || hub_die "no bench/target/hub-$name: make it with --snapshot $name"
        jars+=("$REPO_ROOT/bench/target/hub-$name/data-plane-0.1.0-SNAPSHOT.jar")
    done
    ARGS+=(--compare-jar "$(IFS=,; echo "${jars[*]}")" --compare-label "$COMPARE")
elif [[ -n "$COMPARE_JVM" ]]; then
    # --compare-jvm alone: the current build once more per option set, labelled j1, j2, ...
    IFS='|' read -r -a sets <<<"$COMPARE_JVM"
    jars=()
    labels=()
    for i in "${!sets[@]}"; do
        jars+=("$HUB_DIR/data-plane-0.1.0-SNAPSHOT.jar")
        labels+=("j$((i + 1))")
    done
    ARGS+=(--compare-jar "$(IFS=,; echo "${jars[*]}")" --compare-label "$(IFS=,; echo "${labels[*]}")")
fi
if [[ -n "$COMPARE_JVM" ]]; then ARGS+=(--compare-jvm "$COMPARE_JVM"); fi
"$JAVA_HOME/bin/java" -Xmx512m -cp "$CP" io.integrationhub.bench.BenchMain "${ARGS[@]}" "${PASS[@]}"
