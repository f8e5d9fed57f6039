#!/usr/bin/env bash
# Runs every test of the solution against real servers.
#
#   scripts/test.sh [dotnet-test-filter]      e.g. scripts/test.sh 'FullyQualifiedName~ZooKeeper'
#
# On a fresh Debian machine with only the .NET SDK it installs what is missing (ZooKeeper, Redis,
# the Thrift compiler), starts on free loopback ports, as its own child processes: a standalone
# ZooKeeper, a 3-node ZooKeeper ensemble, a Redis with AOF and a 3-master Redis Cluster; hands their
# addresses to the tests (tests/Shared/TestServers.cs), runs `dotnet test` on every test project of Gateway.sln, one after another,
# then a short `chat` and `scale-out` run of the load harness (loadtest, docs/loadtest.md), and stops
# every server by PID on exit, also when tests fail or the script is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/servers.sh

filter=${1:-}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

run="$root/.run/test-$$"
mkdir -p "$run"
cleanup() {
  local rc=$?
  # Shard and gateway processes of a load run whose harness was killed before it could stop them.
  local pidfile p
  for pidfile in "$run"/loadtest-*/server-pids; do
    [ -f "$pidfile" ] || continue
    while read -r p _; do grep -q 'Chat\.' "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p" 2>/dev/null || true; done <"$pidfile"
  done
  stop_all_servers "$run"
  if [ $rc -ne 0 ]; then
    log "failed (exit $rc); server logs are in $run"
  else
    rm -rf "$run"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_packages thrift-compiler openssl

log "starting ZooKeeper (standalone and a 3-node ensemble) and Redis (single and a 3-master cluster)"
start_zookeeper "$run" zk
export CHAT_TEST_ZK="127.0.0.1:$(cat "$run/zk/port")"
CHAT_TEST_ZK_ENSEMBLE=$(start_zookeeper_ensemble "$run" zk 3)
export CHAT_TEST_ZK_ENSEMBLE
start_redis "$run" redis
export CHAT_TEST_REDIS="127.0.0.1:$(cat "$run/redis/port")"
CHAT_TEST_REDIS_CLUSTER=$(start_redis_cluster "$run" redis-c 3)
export CHAT_TEST_REDIS_CLUSTER
write_zkcli "$run"
export CHAT_TEST_ZKCLI="$run/bin/zkcli" CHAT_TEST_SERVERS_DIR="$run"
log "ZooKeeper $CHAT_TEST_ZK, ensemble $CHAT_TEST_ZK_ENSEMBLE; Redis $CHAT_TEST_REDIS, cluster $CHAT_TEST_REDIS_CLUSTER"

dotnet build Gateway.sln -c Release -v quiet -nologo

# Test assemblies run one after another: several of them kill and restart the shared servers
# (inside an assembly such tests sit in one non-parallel xunit collection), and two assemblies
# running at once could pull a server from under each other. Two cores gain little from overlap.
rc=0
: > "$run/dotnet-test.log"
for project in tests/*/*.Tests.csproj; do
  args=(test "$project" -c Release --no-build --blame-hang-timeout 5m --logger "console;verbosity=minimal")
  [ -z "$filter" ] || args+=(--filter "$filter")
  log "dotnet test $project"
  set +e
  dotnet "${args[@]}" 2>&1 | tee -a "$run/dotnet-test.log"
  project_rc=${PIPESTATUS[0]}
  set -e
  [ "$project_rc" -eq 0 ] || rc=$project_rc
done

# The gateway processes of the functional suite use the default TLS engine (OpenSsl); the other
# engine must keep passing the same suite (issue 7), so the gateway part runs once more with it. The
# gateway processes inherit the variable from the test process.
if [ -z "$filter" ] || [[ $filter == *Functional* ]]; then
  log "dotnet test tests/Functional.Tests (gateway suite, Tls:Engine=SslStream)"
  set +e
  CHAT_GATEWAY_Tls__Engine=SslStream dotnet test tests/Functional.Tests/Functional.Tests.csproj -c Release --no-build \
    --blame-hang-timeout 5m --logger "console;verbosity=minimal" --filter "FullyQualifiedName~Chat.Tests.Functional.Gateway" \
    2>&1 | tee -a "$run/dotnet-test.log"
  project_rc=${PIPESTATUS[0]}
  set -e
  [ "$project_rc" -eq 0 ] || rc=$project_rc
fi

# The load harness against the same servers: a short chat run and one chaos scenario, each counted as
# one test (exit code 0 = its own checks passed). Skipped when a filter names something else.
lt_passed=0 lt_failed=0
if [ -z "$filter" ] || [[ $filter == *LoadTest* ]]; then
  for scenario in "chat --couples 200 --duration 10" "scale-out --couples 200 --duration 12"; do
    name=${scenario%% *}
    log "loadtest $scenario"
    set +e
    # shellcheck disable=SC2086 # the scenario string is split into its words on purpose
    timeout 300 dotnet loadtest/bin/Release/net10.0/Chat.LoadTest.dll $scenario --zk "$CHAT_TEST_ZK_ENSEMBLE" \
      --redis "$CHAT_TEST_REDIS" --servers-dir "$run" --run-dir "$run/loadtest-$name" 2>&1 | tee -a "$run/loadtest.log"
    lt_rc=${PIPESTATUS[0]}
    set -e
    if [ "$lt_rc" -eq 0 ]; then lt_passed=$((lt_passed + 1)); else lt_failed=$((lt_failed + 1)); rc=1; log "loadtest $name failed (exit $lt_rc); see $run/loadtest-$name"; fi
  done
fi

# One closing line over every test assembly and the load runs: "N passed, N failed, N skipped".
awk -v lp="$lt_passed" -v lf="$lt_failed" '
  /^(Passed|Failed)! +- Failed:/ {
    gsub(/,/, ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i + 1); if ($i == "Passed:") p += $(i + 1); if ($i == "Skipped:") s += $(i + 1)
    }
  }
  END { p += lp; f += lf; printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s; if (p + f == 0) exit 1 }
' "$run/dotnet-test.log" || { log "no test ran"; [ $rc -ne 0 ] || rc=1; }
exit $rc
