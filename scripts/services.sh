#!/usr/bin/env bash
# Local backing services for the Integration Hub: PostgreSQL, Redis (the Valkey
# stand-in), RabbitMQ and a single-node Kafka KRaft broker, all on 127.0.0.1.
#
# Usage: scripts/services.sh up|down|status
#
#   up      Use a service already listening on its standard port, otherwise
#           install it (apt-get) if missing and start it. Then (every time,
#           idempotent) ensure PostgreSQL role hub/hub (LOGIN CREATEDB) and
#           database hub, and RabbitMQ vhost hub-test (guest has full rights).
#           What this repo's `up` started is recorded in .hub/services/started.
#   down    Stop only what `up` recorded as started, then clear that record.
#           Services that were already running before `up` are never touched.
#   status  One line per service on stdout: running/stopped, address, and
#           whether this repo's `up` started it. Always exits 0.
#
# Ports: postgres 5432, redis 6379, rabbitmq 5672, kafka 9092 (controller 9093).
# Exit codes: 0 success, 1 failure (reason on stderr), 2 usage error.
# Environment (all optional):
#   JAVA_HOME               JDK >= 21 for Kafka/Maven (else found under /usr/lib/jvm)
#   HUB_PG_TIMEOUT          seconds to wait for PostgreSQL      (default 60)
#   HUB_REDIS_TIMEOUT       seconds to wait for Redis           (default 20)
#   HUB_RABBIT_TIMEOUT      seconds to wait for RabbitMQ        (default 90)
#   HUB_KAFKA_TIMEOUT       seconds to wait for Kafka           (default 60)
# State (git-ignored): .hub/services/ (started, logs, lock), .hub/kafka/ (lib, data,
# server.properties, broker.log, broker.pid).
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
RABBIT_PORT=5672
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093

PG_TIMEOUT="${HUB_PG_TIMEOUT:-60}"
REDIS_TIMEOUT="${HUB_REDIS_TIMEOUT:-20}"
RABBIT_TIMEOUT="${HUB_RABBIT_TIMEOUT:-90}"
KAFKA_TIMEOUT="${HUB_KAFKA_TIMEOUT:-60}"

SERVICES_DIR="$HUB_STATE_DIR/services"
STARTED_FILE="$SERVICES_DIR/started"
PG_CLUSTER_FILE="$SERVICES_DIR/postgres/cluster"
REDIS_DIR="$SERVICES_DIR/redis"
RABBIT_DIR="$SERVICES_DIR/rabbitmq"
KAFKA_DIR="$HUB_STATE_DIR/kafka"
KAFKA_LIB="$KAFKA_DIR/lib"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_LOG="$KAFKA_DIR/broker.log"
KAFKA_PID_FILE="$KAFKA_DIR/broker.pid"
KAFKA_POM="$REPO_ROOT/scripts/kafka/pom.xml"
KAFKA_TEMPLATE="$REPO_ROOT/scripts/kafka/broker.properties"

ALL_SERVICES=(postgres redis rabbitmq kafka)

# ---------------------------------------------------------------- helpers

now_ms() { date +%s%3N; }

# Prints seconds since the given now_ms value, e.g. "2.4s".
since() {
    local ms=$(($(now_ms) - $1))
    printf '%d.%01ds' $((ms / 1000)) $(((ms % 1000) / 100))
}

port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null
}

port_closed() {
    ! port_open "$1"
}

pid_gone() {
    ! kill -0 "$1" 2>/dev/null
}

# wait_for TIMEOUT_S INTERVAL_S CMD...: run CMD until it succeeds; 1 on timeout.
wait_for() {
    local timeout_s="$1" interval="$2"
    shift 2
    local deadline=$((SECONDS + timeout_s))
    until "$@"; do
        if ((SECONDS >= deadline)); then
            return 1
        fi
        sleep "$interval"
    done
}

# fail_with_log REASON LOGFILE...: print the reason, the tail of each log, exit 1.
fail_with_log() {
    local reason="$1" f
    shift
    hub_log "ERROR: $reason"
    for f in "$@"; do
        if [[ -s "$f" ]]; then
            hub_log "---- last 40 lines of $f ----"
            tail -n 40 "$f" >&2 || true
            hub_log "---- end of $f ----"
        else
            hub_log "($f is empty or missing)"
        fi
    done
    exit 1
}

require_root() {
    [[ "$(id -u)" == 0 ]] || hub_die "$1 needs root (run as root, e.g. with sudo)"
}

was_started() {
    [[ -f "$STARTED_FILE" ]] && grep -qx -- "$1" "$STARTED_FILE"
}

mark_started() {
    mkdir -p "$SERVICES_DIR"
    if ! was_started "$1"; then
        printf '%s\n' "$1" >>"$STARTED_FILE"
    fi
}

unmark_started() {
    if [[ -f "$STARTED_FILE" ]]; then
        local rest
        rest="$(grep -vx -- "$1" "$STARTED_FILE" || true)"
        printf '%s' "${rest:+$rest$'\n'}" >"$STARTED_FILE"
    fi
}

APT_UPDATED=0
apt_install() {
    require_root "installing $*"
    command -v apt-get >/dev/null 2>&1 || hub_die "apt-get not found: install $* yourself"
    mkdir -p "$SERVICES_DIR"
    local apt_log="$SERVICES_DIR/apt.log" t0
    if [[ "$APT_UPDATED" == 0 ]]; then
        t0="$(now_ms)"
        apt-get update -q </dev/null >"$apt_log" 2>&1 ||
            fail_with_log "apt-get update failed" "$apt_log"
        APT_UPDATED=1
        hub_log "apt-get update done ($(since "$t0"))"
    fi
    t0="$(now_ms)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "$@" </dev/null >>"$apt_log" 2>&1 ||
        fail_with_log "apt-get install $* failed" "$apt_log"
    hub_log "installed $* ($(since "$t0"))"
}

# ---------------------------------------------------------------- the skeleton

# Every service runs through the same two skeletons; a service NAME supplies hooks:
#   NAME_ready_running  a service found on its port: wait until it serves (hub_die if it does not)
#   NAME_start          not on its port: install if missing (apt-get, as root), start it,
#                       mark_started NAME, wait until ready (fail_with_log if not); may set `detail`
#   NAME_running        down: is it running?
#   NAME_stop           down: stop it (return 1 if it would not); may set `detail`
# and optionally:
#   NAME_prepare        up: before anything else (kafka: the jars tests need even when it runs)
#   NAME_started_here   up: did this repo start the running one? (default: recorded in $STARTED_FILE)
#   NAME_setup          up: after it runs, every time, idempotent (roles, databases, vhosts)
#   NAME_forget         down: clear its state once it is not running
declare -A SERVICE_PORT=([postgres]="$PG_PORT" [redis]="$REDIS_PORT" [rabbitmq]="$RABBIT_PORT" [kafka]="$KAFKA_PORT")

has_hook() {
    declare -F "$1" >/dev/null
}

# service_up NAME: use what runs on its port, otherwise start it; stops nothing.
service_up() {
    local svc="$1" port="${SERVICE_PORT[$1]}" t0 detail=""
    if has_hook "${svc}_prepare"; then
        "${svc}_prepare"
    fi
    if port_open "$port"; then
        local started_here=was_started
        if has_hook "${svc}_started_here"; then
            started_here="${svc}_started_here"
        fi
        if "$started_here" "$svc"; then
            hub_log "$svc: already running on $HOST:$port (started by an earlier up of this repo)"
        else
            hub_log "$svc: already running on $HOST:$port (not started by this repo, will not stop it)"
        fi
        "${svc}_ready_running"
    else
        t0="$(now_ms)"
        "${svc}_start"
        hub_log "$svc: started${detail:+ $detail} on $HOST:$port ($(since "$t0"))"
    fi
    if has_hook "${svc}_setup"; then
        "${svc}_setup"
    fi
}

# service_down NAME: stops it (the caller asks only for what this repo's up started).
service_down() {
    local svc="$1" t0 detail=""
    if ! "${svc}_running"; then
        hub_log "$svc: not running, nothing to stop"
        if has_hook "${svc}_forget"; then
            "${svc}_forget"
        fi
        return 0
    fi
    t0="$(now_ms)"
    "${svc}_stop" || return 1
    if has_hook "${svc}_forget"; then
        "${svc}_forget"
    fi
    hub_log "$svc: stopped${detail:+ $detail} ($(since "$t0"))"
}

# ---------------------------------------------------------------- postgres

# Runs SQL (from $1) as the postgres superuser over the local socket; prints rows.
pg_sql() {
    (cd / && su postgres -s /bin/sh -c "psql -X -q -t -A -v ON_ERROR_STOP=1 -p $PG_PORT -d postgres") <<<"$1"
}

pg_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -h "$HOST" -p "$PG_PORT" -q
    else
        port_open "$PG_PORT"
    fi
}

# Prints "<version> <cluster> <logfile>" of the cluster configured on $PG_PORT.
pg_cluster_on_port() {
    local out
    out="$(pg_lsclusters -h 2>/dev/null)" || true
    awk -v p="$PG_PORT" '$3 == p && !found { print $1, $2, $7; found = 1 }' <<<"$out"
}

pg_newest_installed() {
    local d best=""
    for d in /usr/lib/postgresql/*/bin/postgres; do
        [[ -x "$d" ]] || continue
        d="${d#/usr/lib/postgresql/}"
        d="${d%%/*}"
        if [[ -z "$best" ]] || [[ "$(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n 1)" == "$d" ]]; then
            best="$d"
        fi
    done
    printf '%s\n' "$best"
}

postgres_ready_running() {
    wait_for "$PG_TIMEOUT" 0.2 pg_ready ||
        hub_die "postgres: port $PG_PORT is open but pg_isready did not succeed within ${PG_TIMEOUT}s"
}

postgres_start() {
    local ver name logf info
    require_root "starting PostgreSQL"
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(pg_newest_installed)" ]]; then
        apt_install postgresql
    fi
    info="$(pg_cluster_on_port)"
    if [[ -z "$info" ]]; then
        local existing
        existing="$(pg_lsclusters -h 2>/dev/null || true)"
        if [[ -n "$existing" ]]; then
            hub_die "postgres: no cluster is configured on port $PG_PORT; existing clusters: $(tr '\n' ';' <<<"$existing")"
        fi
        ver="$(pg_newest_installed)"
        [[ -n "$ver" ]] || hub_die "postgres: no server binaries under /usr/lib/postgresql after install"
        hub_log "postgres: no cluster found, creating $ver main on port $PG_PORT"
        pg_createcluster --port "$PG_PORT" "$ver" main </dev/null >"$SERVICES_DIR/pg_createcluster.log" 2>&1 ||
            fail_with_log "pg_createcluster $ver main failed" "$SERVICES_DIR/pg_createcluster.log"
        info="$(pg_cluster_on_port)"
        [[ -n "$info" ]] || hub_die "postgres: cluster $ver main was created but pg_lsclusters does not show it on port $PG_PORT"
    fi
    read -r ver name logf <<<"$info"
    logf="${logf:-/var/log/postgresql/postgresql-$ver-$name.log}"
    [[ "$logf" == /* ]] || logf="/var/log/postgresql/postgresql-$ver-$name.log"
    mkdir -p "$(dirname "$PG_CLUSTER_FILE")"
    printf '%s %s\n' "$ver" "$name" >"$PG_CLUSTER_FILE"
    (cd / && pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start) </dev/null >"$SERVICES_DIR/pg_ctlcluster.log" 2>&1 9>&- ||
        fail_with_log "postgres: pg_ctlcluster $ver $name start failed" "$SERVICES_DIR/pg_ctlcluster.log" "$logf"
    mark_started postgres
    wait_for "$PG_TIMEOUT" 0.2 pg_ready ||
        fail_with_log "postgres: not ready on $HOST:$PG_PORT within ${PG_TIMEOUT}s (pg_isready)" "$logf"
    detail="cluster $ver/$name"
}

postgres_setup() {
    if ! command -v psql >/dev/null 2>&1 || ! id postgres >/dev/null 2>&1; then
        hub_die "postgres: cannot create role/database hub: psql or the postgres OS user is missing (install postgresql-client)"
    fi
    local role_exists owner
    role_exists="$(pg_sql "SELECT 1 FROM pg_roles WHERE rolname = 'hub'")" ||
        hub_die "postgres: 'su postgres -c psql' failed on port $PG_PORT (is the server local, with its socket in /var/run/postgresql?)"
    pg_sql "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub') THEN
    CREATE ROLE hub LOGIN PASSWORD 'hub' CREATEDB;
  ELSE
    ALTER ROLE hub LOGIN PASSWORD 'hub' CREATEDB;
  END IF;
END \$\$;" >/dev/null || hub_die "postgres: could not create/update role hub"
    if [[ "$role_exists" == 1 ]]; then
        hub_log "postgres: role hub present (LOGIN CREATEDB, password hub ensured)"
    else
        hub_log "postgres: created role hub (LOGIN CREATEDB, password hub)"
    fi
    owner="$(pg_sql "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'hub'")" ||
        hub_die "postgres: could not query database hub"
    if [[ -z "$owner" ]]; then
        (cd / && su postgres -s /bin/sh -c "createdb -p $PG_PORT -O hub hub") </dev/null ||
            hub_die "postgres: createdb -O hub hub failed"
        hub_log "postgres: created database hub owned by hub"
    elif [[ "$owner" != hub ]]; then
        pg_sql "ALTER DATABASE hub OWNER TO hub" >/dev/null || hub_die "postgres: could not change owner of database hub"
        hub_log "postgres: database hub owner changed from $owner to hub"
    else
        hub_log "postgres: database hub present (owner hub)"
    fi
}

# The cluster this repo's up started (recorded), else the one configured on the port.
postgres_cluster() {
    local ver="" name=""
    if [[ -f "$PG_CLUSTER_FILE" ]]; then
        read -r ver name <"$PG_CLUSTER_FILE" || true
    fi
    if [[ -z "$ver" || -z "$name" ]]; then
        read -r ver name _ <<<"$(pg_cluster_on_port)" || true
    fi
    if [[ -n "$ver" && -n "$name" ]]; then
        printf '%s %s\n' "$ver" "$name"
    fi
}

postgres_running() {
    port_open "$PG_PORT"
}

postgres_stop() {
    local ver name
    read -r ver name <<<"$(postgres_cluster)" || true
    if [[ -z "$ver" || -z "$name" ]]; then
        hub_log "postgres: cannot tell which cluster to stop (no cluster on port $PG_PORT)"
        return 1
    fi
    if ! (cd / && pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" stop) </dev/null >&2; then
        hub_log "postgres: pg_ctlcluster $ver $name stop failed"
        return 1
    fi
    detail="cluster $ver/$name"
}

postgres_forget() {
    rm -f "$PG_CLUSTER_FILE"
}

# ---------------------------------------------------------------- redis

redis_ping() {
    [[ "$(redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null </dev/null)" == PONG ]]
}

redis_ready_running() {
    if command -v redis-cli >/dev/null 2>&1; then
        wait_for "$REDIS_TIMEOUT" 0.1 redis_ping ||
            hub_die "redis: port $REDIS_PORT is open but PING got no PONG within ${REDIS_TIMEOUT}s"
    fi
}

redis_start() {
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        apt_install redis-server
    fi
    mkdir -p "$REDIS_DIR"
    redis-server --bind "$HOST" --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
        --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
        </dev/null >"$REDIS_DIR/start.out" 2>&1 9>&- ||
        fail_with_log "redis: redis-server failed to start" "$REDIS_DIR/start.out" "$REDIS_DIR/redis.log"
    mark_started redis
    wait_for "$REDIS_TIMEOUT" 0.1 redis_ping ||
        fail_with_log "redis: no PONG on $HOST:$REDIS_PORT within ${REDIS_TIMEOUT}s" "$REDIS_DIR/redis.log"
    detail="(no persistence, log $REDIS_DIR/redis.log)"
}

redis_running() {
    port_open "$REDIS_PORT"
}

redis_stop() {
    redis-cli -h "$HOST" -p "$REDIS_PORT" shutdown nosave </dev/null >/dev/null 2>&1 || true
    if ! wait_for 20 0.2 port_closed "$REDIS_PORT"; then
        hub_log "redis: still listening on $HOST:$REDIS_PORT 20s after 'shutdown nosave'"
        return 1
    fi
}

# ---------------------------------------------------------------- rabbitmq

rabbit_running() {
    timeout 30 rabbitmq-diagnostics -q check_running </dev/null >/dev/null 2>&1
}

rabbit_ready() {
    rabbit_running && port_open "$RABBIT_PORT"
}

rabbit_logs() {
    local f newest=""
    printf '%s\n' "$RABBIT_DIR/start.out"
    # newest broker log under /var/log/rabbitmq (its name depends on the node name)
    for f in /var/log/rabbitmq/*.log; do
        [[ -f "$f" ]] || continue
        if [[ -z "$newest" || "$f" -nt "$newest" ]]; then
            newest="$f"
        fi
    done
    if [[ -n "$newest" ]]; then
        printf '%s\n' "$newest"
    fi
}

rabbitmq_ready_running() {
    command -v rabbitmqctl >/dev/null 2>&1 ||
        hub_die "rabbitmq: running on $HOST:$RABBIT_PORT but rabbitmqctl is not installed here, cannot create vhost hub-test"
    wait_for "$RABBIT_TIMEOUT" 0.5 rabbit_running ||
        hub_die "rabbitmq: port $RABBIT_PORT is open but 'rabbitmq-diagnostics check_running' did not succeed within ${RABBIT_TIMEOUT}s"
}

rabbitmq_start() {
    local -a logs
    require_root "starting RabbitMQ"
    if ! command -v rabbitmq-server >/dev/null 2>&1; then
        apt_install rabbitmq-server
    fi
    mkdir -p "$RABBIT_DIR"
    if ! (cd / && RABBITMQ_NODE_IP_ADDRESS="$HOST" rabbitmq-server -detached) </dev/null >"$RABBIT_DIR/start.out" 2>&1 9>&-; then
        mapfile -t logs < <(rabbit_logs)
        fail_with_log "rabbitmq: 'rabbitmq-server -detached' failed" "${logs[@]}"
    fi
    mark_started rabbitmq
    if ! wait_for "$RABBIT_TIMEOUT" 0.5 rabbit_ready; then
        mapfile -t logs < <(rabbit_logs)
        fail_with_log "rabbitmq: not running on $HOST:$RABBIT_PORT within ${RABBIT_TIMEOUT}s (rabbitmq-diagnostics check_running)" "${logs[@]}"
    fi
}

rabbitmq_setup() {
    local vhosts
    vhosts="$(rabbitmqctl -q list_vhosts name </dev/null 2>&1)" ||
        hub_die "rabbitmq: rabbitmqctl list_vhosts failed: $vhosts"
    if grep -qx 'hub-test' <<<"$vhosts"; then
        hub_log "rabbitmq: vhost hub-test present"
    else
        rabbitmqctl -q add_vhost hub-test </dev/null >&2 || hub_die "rabbitmq: rabbitmqctl add_vhost hub-test failed"
        hub_log "rabbitmq: created vhost hub-test"
    fi
    rabbitmqctl -q set_permissions -p hub-test guest '.*' '.*' '.*' </dev/null >&2 ||
        hub_die "rabbitmq: rabbitmqctl set_permissions -p hub-test guest failed (does user guest exist?)"
    hub_log "rabbitmq: guest has configure/write/read '.*' on vhost hub-test"
}

rabbitmq_running() {
    port_open "$RABBIT_PORT" || rabbit_running
}

rabbitmq_stop() {
    if ! rabbitmqctl -q shutdown </dev/null >&2; then
        hub_log "rabbitmq: rabbitmqctl shutdown failed"
        return 1
    fi
    # epmd refuses to die while other Erlang nodes are registered, which is what we want.
    epmd -kill >/dev/null 2>&1 || true
    detail="(and epmd)"
}

# ---------------------------------------------------------------- kafka

kafka_pid() {
    local pid
    [[ -f "$KAFKA_PID_FILE" ]] || return 1
    read -r pid <"$KAFKA_PID_FILE" || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    printf '%s\n' "$pid"
}

# Is the pid alive and a kafka.Kafka JVM (guards against recycled pids)?
kafka_pid_alive() {
    local cmdline
    kill -0 "$1" 2>/dev/null || return 1
    cmdline="$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")" || return 1
    [[ "$cmdline" == *kafka.Kafka* ]]
}

kafka_fetch_lib() {
    if [[ -d "$KAFKA_LIB" ]] && [[ -n "$(ls -A "$KAFKA_LIB" 2>/dev/null)" ]]; then
        return 0
    fi
    local t0 tmp="$KAFKA_DIR/lib.tmp" mvn_log="$KAFKA_DIR/mvn.log"
    t0="$(now_ms)"
    rm -rf "$tmp"
    mkdir -p "$KAFKA_DIR"
    hub_log "kafka: fetching broker jars with Maven into $KAFKA_LIB"
    (cd "$REPO_ROOT" && "$REPO_ROOT/mvnw" -q -B -f "$KAFKA_POM" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" -DincludeScope=runtime) </dev/null >"$mvn_log" 2>&1 ||
        fail_with_log "kafka: Maven could not copy the broker jars (see $mvn_log)" "$mvn_log"
    [[ -n "$(ls -A "$tmp" 2>/dev/null)" ]] || fail_with_log "kafka: Maven copied no jars into $tmp" "$mvn_log"
    rm -rf "$KAFKA_LIB"
    mv "$tmp" "$KAFKA_LIB"
    hub_log "kafka: $(find "$KAFKA_LIB" -name '*.jar' | wc -l) jars in $KAFKA_LIB ($(since "$t0"))"
}

# The broker's settings are scripts/kafka/broker.properties, shared with the tests' private brokers;
# this fills in its placeholders for the shared broker (topics auto-created, Kafka's default 50
# partitions for consumer offsets).
kafka_write_props() {
    {
        echo "# Generated by scripts/services.sh from $KAFKA_TEMPLATE; rewritten on every start."
        sed -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
            -e "s|@DATA_DIR@|$KAFKA_DATA|g" -e "s|@PARTITIONS@|1|g" -e "s|@AUTO_CREATE_TOPICS@|true|g" \
            -e "s|@OFFSETS_PARTITIONS@|50|g" "$KAFKA_TEMPLATE"
    } >"$KAFKA_PROPS"
    local unfilled
    unfilled="$(grep -v '^#' "$KAFKA_PROPS" | grep -o '@[A-Z_]*@' | head -n 1 || true)"
    if [[ -n "$unfilled" ]]; then
        hub_die "kafka: $KAFKA_TEMPLATE has a placeholder this script does not fill: $unfilled"
    fi
}

# The jars are needed even when a broker already runs: tests start private brokers from them.
kafka_prepare() {
    hub_find_jdk
    kafka_fetch_lib
}

kafka_started_here() {
    local pid
    pid="$(kafka_pid)" && kafka_pid_alive "$pid"
}

kafka_ready_running() {
    : # the port answers: that is all the shared broker is asked for
}

kafka_start() {
    local pid
    if pid="$(kafka_pid)" && kafka_pid_alive "$pid"; then
        hub_log "kafka: stale broker pid $pid is not listening on $KAFKA_PORT, stopping it"
        kafka_stop_pid "$pid" || hub_die "kafka: could not stop stale broker pid $pid"
    fi
    rm -f "$KAFKA_PID_FILE"
    if port_open "$KAFKA_CONTROLLER_PORT"; then
        hub_die "kafka: controller port $HOST:$KAFKA_CONTROLLER_PORT is taken by another process"
    fi
    local java="$JAVA_HOME/bin/java" cp="$KAFKA_LIB/*" cluster_id
    local -a jvm_opts=(-Xms128m -Xmx512m)
    if [[ "${HUB_JAVA_MAJOR:-0}" -ge 24 ]]; then
        jvm_opts+=(--sun-misc-unsafe-memory-access=allow)
    fi
    kafka_write_props
    # A data dir formatted with another cluster id cannot be reused: always start clean.
    rm -rf "$KAFKA_DATA"
    cluster_id="$("$java" -cp "$cp" kafka.tools.StorageTool random-uuid 2>"$KAFKA_DIR/format.log" </dev/null | tail -n 1)" ||
        fail_with_log "kafka: StorageTool random-uuid failed" "$KAFKA_DIR/format.log"
    [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] ||
        fail_with_log "kafka: StorageTool random-uuid printed '$cluster_id', not a cluster id" "$KAFKA_DIR/format.log"
    "$java" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_PROPS" \
        </dev/null >>"$KAFKA_DIR/format.log" 2>&1 ||
        fail_with_log "kafka: StorageTool format failed" "$KAFKA_DIR/format.log"
    hub_log "kafka: formatted $KAFKA_DATA (cluster id $cluster_id) with JDK $HUB_JAVA_MAJOR at $JAVA_HOME"
    # setsid: the broker gets its own session, so it outlives this script and its process group.
    (cd "$KAFKA_DIR" && exec setsid nohup "$java" "${jvm_opts[@]}" -cp "$cp" kafka.Kafka "$KAFKA_PROPS") \
        </dev/null >"$KAFKA_LOG" 2>&1 9>&- &
    pid=$!
    printf '%s\n' "$pid" >"$KAFKA_PID_FILE"
    mark_started kafka
    local deadline=$((SECONDS + KAFKA_TIMEOUT))
    until grep -q 'Kafka Server started' "$KAFKA_LOG" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$KAFKA_PID_FILE"
            unmark_started kafka
            fail_with_log "kafka: broker process $pid exited before 'Kafka Server started'" "$KAFKA_LOG"
        fi
        if ((SECONDS >= deadline)); then
            if kafka_stop_pid "$pid"; then
                rm -f "$KAFKA_PID_FILE"
                unmark_started kafka
            fi
            fail_with_log "kafka: no 'Kafka Server started' in $KAFKA_LOG within ${KAFKA_TIMEOUT}s (broker killed)" "$KAFKA_LOG"
        fi
        sleep 0.25
    done
    wait_for 10 0.2 port_open "$KAFKA_PORT" ||
        fail_with_log "kafka: logged 'Kafka Server started' but $HOST:$KAFKA_PORT is not open" "$KAFKA_LOG"
    detail="broker+controller (pid $pid, log $KAFKA_LOG)"
}

# kill -TERM, wait up to 30 s, then kill -KILL.
kafka_stop_pid() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || return 0
    if wait_for 30 0.2 pid_gone "$pid"; then
        return 0
    fi
    hub_log "kafka: pid $pid still alive 30s after SIGTERM, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 10 0.2 pid_gone "$pid"
}

kafka_running() {
    local pid
    pid="$(kafka_pid)" && kafka_pid_alive "$pid"
}

kafka_stop() {
    local pid
    pid="$(kafka_pid)" || return 0
    if ! kafka_stop_pid "$pid"; then
        hub_log "kafka: could not stop broker pid $pid"
        return 1
    fi
    detail="broker pid $pid"
}

kafka_forget() {
    rm -f "$KAFKA_PID_FILE"
}

# ---------------------------------------------------------------- commands

# fd 9 holds the lock; every daemon is started with 9>&- so that it does not inherit it.
take_lock() {
    mkdir -p "$SERVICES_DIR"
    exec 9>"$SERVICES_DIR/.lock"
    flock -w 300 9 || hub_die "another scripts/services.sh up/down is still running (lock $SERVICES_DIR/.lock)"
}

# kubectl drives the control plane's end-to-end test and scripts/dev-cluster; Debian's
# kubernetes-client package provides one when the machine has none.
kubectl_present() {
    if command -v kubectl >/dev/null 2>&1; then
        return 0
    fi
    hub_log "kubectl not found: installing Debian's kubernetes-client"
    # In a subshell: without root or apt the services are still usable; only the kubectl tests fail.
    (apt_install kubernetes-client) ||
        hub_log "WARNING: no kubectl; the control plane's kubectl tests and scripts/dev-cluster need one"
}

cmd_up() {
    take_lock
    local t0
    t0="$(now_ms)"
    local svc
    for svc in "${ALL_SERVICES[@]}"; do
        service_up "$svc"
    done
    kubectl_present
    local mine="none"
    if [[ -s "$STARTED_FILE" ]]; then
        mine="$(tr '\n' ' ' <"$STARTED_FILE")"
    fi
    hub_log "up: all services ready ($(since "$t0")); started by this repo's up: $mine"
}

cmd_down() {
    take_lock
    if [[ ! -s "$STARTED_FILE" ]]; then
        hub_log "down: nothing to stop (this repo's up started no service)"
        return 0
    fi
    local svc
    local -a failed=()
    # reverse start order
    for svc in kafka rabbitmq redis postgres; do
        was_started "$svc" || continue
        if ! service_down "$svc"; then
            failed+=("$svc")
        fi
    done
    if ((${#failed[@]} > 0)); then
        printf '%s\n' "${failed[@]}" >"$STARTED_FILE"
        hub_die "down: could not stop: ${failed[*]} (kept in $STARTED_FILE)"
    fi
    : >"$STARTED_FILE"
    hub_log "down: done"
}

cmd_status() {
    local svc port state mine
    for svc in "${ALL_SERVICES[@]}"; do
        port="${SERVICE_PORT[$svc]}"
        if port_open "$port"; then state=running; else state=stopped; fi
        if was_started "$svc"; then mine=yes; else mine=no; fi
        printf '%-9s %-8s %s:%-5s started-by-this-repo=%s\n' "$svc" "$state" "$HOST" "$port" "$mine"
    done
}

usage() {
    echo "usage: $(basename "$0") up|down|status" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
case "$1" in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    -h | --help | help) usage ;;
    *) usage ;;
esac
