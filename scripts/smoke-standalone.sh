#!/usr/bin/env bash
# Starts the hub exactly as README command 1 does (scripts/run), on a free port with a fresh state
# directory, waits until it is ready, then creates and reads a provider over HTTP with the printed
# development token — the README's curl walk-through, checked. Stops the hub afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
HUB_LOG_PREFIX=smoke
cd "$REPO_ROOT"

state="$(mktemp -d /tmp/hub-smoke.XXXXXX)"
log="$state/hub.out"
cleanup() {
    if [[ -n "${hub_pid:-}" ]] && kill -0 "$hub_pid" 2>/dev/null; then
        kill -TERM -- "-$hub_pid" 2>/dev/null || kill -TERM "$hub_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -rf "$state"
}
trap cleanup EXIT

started=$(date +%s)
INTEGRATION_HTTP_PORT=0 INTEGRATION_STATE_DIR="$state/standalone" setsid scripts/run >"$log" 2>&1 </dev/null &
hub_pid=$!
for _ in $(seq 1 600); do
    grep -q '^export HUB_TOKEN=' "$log" && break
    kill -0 "$hub_pid" 2>/dev/null || { cat "$log" >&2; hub_die "scripts/run exited before the hub was ready"; }
    sleep 0.2
done
grep -q '^export HUB_TOKEN=' "$log" || { tail -n 40 "$log" >&2; hub_die "the hub did not become ready within 120 s"; }
eval "$(grep -E '^export HUB_(URL|TOKEN)=' "$log")"
hub_log "hub up at $HUB_URL after $(( $(date +%s) - started )) s (build included): $(grep 'Integration Hub ready' "$log")"

check() { # description, expected status, curl args...
    local what="$1" expected="$2"; shift 2
    local out status
    out="$(curl -sS -w '\n%{http_code}' "$@")"
    status="${out##*$'\n'}"
    body="${out%$'\n'*}"
    [[ "$status" == "$expected" ]] || hub_die "$what: expected HTTP $expected, got $status: $body"
    hub_log "$what: HTTP $status"
}
check "GET /health/ready" 200 "$HUB_URL/health/ready"
check "POST provider" 201 -X POST "$HUB_URL/api/v1/integrations/providers" \
    -H "Authorization: Bearer $HUB_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name": "stripe", "type": "payment", "baseUrl": "https://api.stripe.com",
         "auth": {"type": "bearer", "credentials": {"token": "sk_test_smoke_canary"}}}'
[[ "$body" != *sk_test_smoke_canary* ]] || hub_die "the create answer shows the credential"
check "GET provider by name" 200 "$HUB_URL/api/v1/integrations/providers/stripe" -H "Authorization: Bearer $HUB_TOKEN"
[[ "$body" == *'"name":"stripe"'* && "$body" == *'"token":"***"'* ]] || hub_die "unexpected provider document: $body"
check "GET provider list" 200 "$HUB_URL/api/v1/integrations/providers" -H "Authorization: Bearer $HUB_TOKEN"
[[ "$body" == *'"items":[{'* ]] || hub_die "the list does not show the provider: $body"
! grep -q sk_test_smoke_canary "$log" || hub_die "the hub's log shows the credential"

# A second hub on a port the first one holds must stop with a non-zero exit and one line naming the
# port and the setting that moves it, never print "ready".
http_port="${HUB_URL##*:}"
grpc_port="$(sed -n 's/.*(gRPC on port \([0-9]*\);.*/\1/p' "$log")"
[[ "$grpc_port" =~ ^[0-9]+$ && "$grpc_port" -gt 0 ]] || hub_die "no gRPC port in the ready line: $(grep 'Integration Hub ready' "$log")"
taken() { # description, port, setting, env assignments for the second hub
    local what="$1" port="$2" setting="$3" out="$state/taken.out" rc=0; shift 3
    env "$@" INTEGRATION_STATE_DIR="$state/second" HUB_SKIP_BUILD=1 timeout 120 scripts/run >"$out" 2>&1 </dev/null || rc=$?
    [[ "$rc" -ne 0 && "$rc" -ne 124 ]] || { tail -n 20 "$out" >&2; hub_die "$what: expected a non-zero exit, got $rc"; }
    ! grep -q 'Integration Hub ready' "$out" || hub_die "$what: the second hub said it was ready"
    grep -q "cannot listen on 127.0.0.1:$port: .*$setting" "$out" \
        || { tail -n 20 "$out" >&2; hub_die "$what: no line names port $port and $setting"; }
    hub_log "$what: exit $rc, $(grep -o "cannot listen on 127.0.0.1:$port: [^(]*" "$out")"
}
taken "gRPC port taken" "$grpc_port" INTEGRATION_GRPC_PORT INTEGRATION_HTTP_PORT=0 INTEGRATION_GRPC_PORT="$grpc_port"
taken "HTTP port taken" "$http_port" INTEGRATION_HTTP_PORT INTEGRATION_HTTP_PORT="$http_port" INTEGRATION_GRPC_PORT=0
echo "standalone smoke: 6 passed, 0 failed"
