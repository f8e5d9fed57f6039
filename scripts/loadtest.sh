#!/usr/bin/env bash
# Runs one load-test scenario against servers this script starts and stops:
#
#   scripts/loadtest.sh <scenario> [harness options...]     e.g. scripts/loadtest.sh chat --couples 1000 --duration 30
#
# Starts (as its own child processes, on free loopback ports) a 3-node ZooKeeper ensemble and a Redis
# with AOF, builds the solution's servers and the harness in Release unless LOADTEST_NO_BUILD=1, runs
# `dotnet loadtest/bin/Release/net10.0/Chat.LoadTest.dll <scenario> ...` with --zk, --redis and
# --servers-dir filled in, and stops every server by PID on exit (also on Ctrl-C). The harness starts
# and stops the shard and gateway processes itself. Exit code: the harness's (0 = its checks passed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/servers.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

[ $# -ge 1 ] || { echo "usage: scripts/loadtest.sh <scenario> [options]   (dotnet loadtest/bin/Release/net10.0/Chat.LoadTest.dll --help)" >&2; exit 2; }

run="$root/.run/servers-$$"
mkdir -p "$run"
cleanup() {
  local rc=$?
  stop_all_servers "$run"
  rm -rf "$run"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

extra=()
case " $* " in *" --compare "*) extra+=(haproxy) ;; esac
ensure_packages "${extra[@]}"
if [ "${LOADTEST_NO_BUILD:-0}" != 1 ]; then
  log "building (Release)"
  dotnet build loadtest -c Release -v quiet -nologo >/dev/null
fi
log "starting a 3-node ZooKeeper ensemble and Redis"
zk=$(start_zookeeper_ensemble "$run" zk 3)
start_redis "$run" redis
redis="127.0.0.1:$(cat "$run/redis/port")"
log "ZooKeeper $zk; Redis $redis"

# The harness opens many sockets (one per device); raise the soft limit as far as the hard one allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
set +e
dotnet loadtest/bin/Release/net10.0/Chat.LoadTest.dll "$@" --zk "$zk" --redis "$redis" --servers-dir "$run"
rc=$?
set -e
exit $rc
