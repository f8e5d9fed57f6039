#!/usr/bin/env bash
# The first command to run: a local cluster under load, with a report.
#
#   scripts/demo.sh
#
# 1. installs ZooKeeper and Redis if missing (apt-get, via scripts/lib/servers.sh) and builds the
#    servers and the load harness (Release);
# 2. starts ZooKeeper and Redis on free loopback ports, as child processes of this script;
# 3. runs the harness's `chat` scenario: it writes a dev CA and certificate, a token key and a
#    cluster key into its run directory, starts 3 chat shards and 2 TLS gateways on loopback, and
#    drives 1,000 couples (2,000 TLS connections) for 30 s, then checks every message arrived once,
#    in order, on every device;
# 4. runs `scale-out` briefly: the same load while a 4th shard joins (couples move without client
#    reconnects);
# 5. prints both summaries and the report paths, and stops everything it started, by PID, on exit,
#    Ctrl-C or TERM.
# Works unattended (CI=true, no stdin). Exit code 0 when both runs passed their checks.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/servers.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

run="$root/.run/demo"
stamp=$(date +%Y%m%d-%H%M%S)
servers="$run/servers-$$"
mkdir -p "$servers"
harness_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # The harness stops its own shard and gateway processes; if it is still running (Ctrl-C), stop it
  # first by PID and give it time to do so.
  if [ -n "$harness_pid" ] && kill -0 "$harness_pid" 2>/dev/null; then
    kill -INT "$harness_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$harness_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$harness_pid" 2>/dev/null || true
  fi
  # Servers the harness started and could not stop itself (it was killed): by their recorded PIDs.
  local pidfile p
  for pidfile in "$run"/*-"$stamp"/server-pids; do
    [ -f "$pidfile" ] || continue
    while read -r p _; do
      # Only if that PID is still one of our server processes (a PID can be reused).
      grep -q 'Chat\.' "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
    done <"$pidfile"
  done
  stop_all_servers "$servers"
  rm -rf "$servers"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$SECONDS
ensure_packages
log "building the servers and the load harness (Release)"
dotnet build loadtest -c Release -v quiet -nologo </dev/null >"$run/build.log" 2>&1 || { tail -30 "$run/build.log"; exit 1; }

log "starting ZooKeeper and Redis"
start_zookeeper "$servers" zk
start_redis "$servers" redis
zk="127.0.0.1:$(cat "$servers/zk/port")"
redis="127.0.0.1:$(cat "$servers/redis/port")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

harness() {
  dotnet loadtest/bin/Release/net10.0/Chat.LoadTest.dll "$@" --zk "$zk" --redis "$redis" --servers-dir "$servers" </dev/null &
  harness_pid=$!
  local code=0
  wait "$harness_pid" || code=$?
  harness_pid=""
  return $code
}

rc=0
log "chat: 1,000 couples, 2 devices each couple, 1,000 msg/s for 30 s through 2 TLS gateways to 3 shards"
harness chat --couples 1000 --duration 30 --run-dir "$run/chat-$stamp" || rc=$?
log "scale-out: the same load for 15 s while a 4th shard joins"
harness scale-out --couples 1000 --duration 15 --run-dir "$run/scale-out-$stamp" || rc=$?

echo
echo "demo finished in $((SECONDS - started)) s ($([ $rc -eq 0 ] && echo 'all checks passed' || echo "a check FAILED, exit $rc"))"
echo "  reports: $run/chat-$stamp/report.html"
echo "           $run/scale-out-$stamp/report.html"
echo "  keys, certificate and server logs are next to them"
exit $rc
