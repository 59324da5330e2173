#!/usr/bin/env bash
# The README's first hour, checked as written: starts the hub with the README "Try it" start command
# (scripts/run --demo: the hub as README command 1 starts it, plus the local echo upstream), on free
# ports with a fresh state directory; runs the README's first-call commands exactly as they stand in
# README.md (extracted here, so the two cannot drift) and requires every answer 2xx, the call's from
# the upstream; runs README "hubctl" (install, first commands) and every example of hubctl --help;
# checks the credential never shows; then starts a second hub on each port the first one holds,
# which must exit non-zero naming the port. Stops everything afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
HUB_LOG_PREFIX=smoke
cd "$REPO_ROOT"

state="$(mktemp -d /tmp/hub-smoke.XXXXXX)"
log="$state/hub.out"
passed=0
cleanup() {
    if [[ -n "${hub_pid:-}" ]] && kill -0 "$hub_pid" 2>/dev/null; then
        kill -TERM -- "-$hub_pid" 2>/dev/null || kill -TERM "$hub_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.2; done
    fi
    rm -rf "$state"
}
trap cleanup EXIT
pass() { hub_log "$*"; passed=$((passed + 1)); }

# The first ```bash block after the README line that starts with "<!-- MARKER".
readme_block() {
    awk -v marker="<!-- $1" '
        index($0, marker) == 1 { found = 1; next }
        found && /^```bash/ { inside = 1; next }
        inside && /^```/ { exit }
        inside { print }' README.md
}
start_command="$(readme_block "first-call: start")"
first_calls="$(readme_block "first-call: calls")"
[[ -n "$start_command" && -n "$first_calls" ]] || hub_die "README.md has no 'first-call' blocks to run"

# Free ports and a private state directory come from the environment; the command is the README's.
started=$(date +%s)
INTEGRATION_HTTP_PORT=0 HUB_DEMO_PORT=0 INTEGRATION_STATE_DIR="$state/standalone" \
    setsid bash -c "$start_command" >"$log" 2>&1 </dev/null &
hub_pid=$!
for _ in $(seq 1 1500); do
    grep -q '^export HUB_TOKEN=' "$log" && break
    kill -0 "$hub_pid" 2>/dev/null || { cat "$log" >&2; hub_die "the README's start command exited before the hub was ready"; }
    sleep 0.2
done
grep -q '^export HUB_TOKEN=' "$log" || { tail -n 40 "$log" >&2; hub_die "the hub did not become ready within 300 s (build included)"; }
[[ "$(grep -c '^export \(DEMO_UPSTREAM\|HUB_URL\|HUB_TOKEN\)=' "$log")" == 3 ]] \
    || hub_die "the start command did not print the three export lines the README tells to paste"
eval "$(grep -E '^export (DEMO_UPSTREAM|HUB_URL|HUB_TOKEN)=' "$log")"
pass "hub up at $HUB_URL after $(( $(date +%s) - started )) s (build included), echo upstream at $DEMO_UPSTREAM"

# The README's first calls, as written, in a shell where each curl also reports its status on stderr.
printf '%s\n' 'set -euo pipefail' \
    'curl() { command curl --write-out "%{stderr}status %{http_code}\n" "$@"; }' \
    "$first_calls" >"$state/first-calls.sh"
bash "$state/first-calls.sh" >"$state/first-calls.out" 2>"$state/first-calls.status" \
    || { cat "$state/first-calls.out" "$state/first-calls.status" >&2; hub_die "the README's first calls failed"; }
statuses="$(sed -n 's/^status //p' "$state/first-calls.status" | tr '\n' ' ')"
expected="$(grep -c '^curl ' <<<"$first_calls")"
[[ "$(wc -w <<<"$statuses")" -eq "$expected" && "$statuses" =~ ^(2[0-9][0-9] )+$ ]] \
    || { cat "$state/first-calls.out" >&2; hub_die "the README's first calls: expected $expected answers, all 2xx; got: $statuses"; }
pass "README first calls: $expected commands, HTTP $statuses"
grep -q 'HTTP/1.1 200' "$state/first-calls.out" && grep -qi '^X-Integration-Source: upstream' "$state/first-calls.out" \
    && grep -q '"upstream": "echo", "method": "POST", "path": "/v1/charges"' "$state/first-calls.out" \
    && grep -q '"authorization": "Bearer \*\*\*"' "$state/first-calls.out" \
    || { cat "$state/first-calls.out" >&2; hub_die "the call did not reach the echo upstream with the injected credential"; }
pass "the call reached the echo upstream: 200, X-Integration-Source: upstream, credential injected"
credential="$(sed -n 's/.*"credentials": {"token": "\([^"]*\)"}.*/\1/p' <<<"$first_calls")"
[[ -n "$credential" ]] || hub_die "no credential found in the README's create command"
! grep -q "$credential" "$state/first-calls.out" "$log" || hub_die "an answer or the hub's log shows the credential"
pass "the credential appears in no answer and not in the hub's log"

# README "hubctl" as written: install (into a private directory put on PATH, as the README's PATH
# line does), first commands, then every example of `hubctl --help` and `hubctl dev token --help`,
# in a private HOME; each command must exit 0.
hubctl_install="$(readme_block "hubctl: install")"
hubctl_first="$(readme_block "hubctl: first commands")"
[[ -n "$hubctl_install" && -n "$hubctl_first" ]] || hub_die "README.md has no 'hubctl' blocks to run"
mkdir -p "$state/home"
run_as_newcomer() { # script file, output file
    env -u HUBCTL_CONFIG -u HUBCTL_ENDPOINT -u HUBCTL_TOKEN -u HUBCTL_TENANT -u HUBCTL_CONTEXT -u XDG_CONFIG_HOME \
        HOME="$state/home" HUBCTL_INSTALL_DIR="$state/bin" PATH="$state/bin:$PATH" \
        INTEGRATION_STATE_DIR="$state/standalone" DEMO_UPSTREAM="$DEMO_UPSTREAM" HUB_URL="$HUB_URL" HUB_TOKEN="$HUB_TOKEN" \
        bash "$1" >"$2" 2>&1 </dev/null || { cat "$2" >&2; hub_die "$(basename "$1" .sh): a command failed (above)"; }
}
printf '%s\n' 'set -euo pipefail' "$hubctl_install" "$hubctl_first" >"$state/readme-hubctl.sh"
run_as_newcomer "$state/readme-hubctl.sh" "$state/readme-hubctl.out"
grep -q '^provider/sms-gateway created' "$state/readme-hubctl.out" \
    || { cat "$state/readme-hubctl.out" >&2; hub_die "README hubctl: the acme token did not apply bearer.yaml"; }
pass "README hubctl: install and $(grep -c '^hubctl ' <<<"$hubctl_first") hubctl commands, all exit 0"
help_examples() { # hubctl arguments: the example lines of that command's --help
    "$state/bin/hubctl" "$@" --help | awk '/^Examples:/ { on = 1; next } on && /^  / { sub(/^  /, ""); print; next } on { exit }'
}
{ echo 'set -euo pipefail'; help_examples; help_examples dev token; } >"$state/help-examples.sh"
examples="$(grep -c '^hubctl \|^source \|^HUBCTL_' "$state/help-examples.sh")"
[[ "$examples" -ge 8 ]] || hub_die "only $examples examples found in hubctl --help and hubctl dev token --help"
run_as_newcomer "$state/help-examples.sh" "$state/help-examples.out"
pass "hubctl --help and dev token --help: $examples examples, all exit 0"
! grep -q "$credential" "$state/readme-hubctl.out" "$state/help-examples.out" || hub_die "hubctl output shows the credential"

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
    pass "$what: exit $rc, $(grep -o "cannot listen on 127.0.0.1:$port: [^(]*" "$out")"
}
taken "gRPC port taken" "$grpc_port" INTEGRATION_GRPC_PORT INTEGRATION_HTTP_PORT=0 INTEGRATION_GRPC_PORT="$grpc_port"
taken "HTTP port taken" "$http_port" INTEGRATION_HTTP_PORT INTEGRATION_HTTP_PORT="$http_port" INTEGRATION_GRPC_PORT=0
echo "standalone smoke: $passed passed, 0 failed"
