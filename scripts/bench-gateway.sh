#!/usr/bin/env bash
# The gateway's figures beside HAProxy's, measured in the same run (issue 5 item 10, docs/gateway.md
# "Figures"):
#
#   scripts/bench-gateway.sh [--quick] [--runs N] [--n CONNECTIONS] [--secs SECONDS] [--quiet-wait SECONDS]
#
# BENCH_GATEWAY_ENV="NAME=value ..." runs the gateway with those environment variables (runtime knobs,
# e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0), to see what a setting changes.
#
# Installs what is missing (haproxy, ZooKeeper, Redis, openssl), builds Release, starts on loopback
# as its own child processes: ZooKeeper, Redis, one shard (core 1), the gateway (core 0) and HAProxy
# 2.6 (core 0) with the same ECDSA P-256 certificate, TLS 1.3, relaying to the shard's direct TCP
# port. The clients run on core 1 (benchmarks/Gateway, `openssl s_time` for handshakes). Per run:
#   idle        N TLS connections that authenticate and idle; RSS after minus before, per connection
#               (gateway: one process; HAProxy: 4 processes sharing the port, as in the anchors)
#   handshakes  full TLS 1.3 handshakes (and resumed ones) per server core-second
#   relay       1 and 100 connections in a closed Ping/Pong loop: direct to the shard, via the gateway,
#               via HAProxy; added latency = via proxy - direct; server CPU per round trip
# Then one table: medians with min-max over the runs, and gateway/HAProxy ratios. Every process is
# stopped by PID on exit. --quick: one run, 1,000 connections, 3 s per figure (a smoke test).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/servers.sh

runs=3 idle_n=10000 secs=10 quiet_wait=20
while [ $# -gt 0 ]; do
  case $1 in
    --quick) runs=1 idle_n=1000 secs=3 ;;
    --runs) runs=$2; shift ;;
    --n) idle_n=$2; shift ;;
    --secs) secs=$2; shift ;;
    --quiet-wait) quiet_wait=$2; shift ;;
    *) echo "usage: $0 [--quick] [--runs N] [--n CONNECTIONS] [--secs SECONDS] [--quiet-wait SECONDS]" >&2; exit 2 ;;
  esac
  shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Idle figures need ~N sockets per process (and HAProxy twice that over its 4 processes).
ulimit -n "$(ulimit -Hn)"

run="$root/.run/bench-gateway-$$"
mkdir -p "$run"
own_pids=()  # shard, gateway, HAProxy: stopped by PID on exit (ZooKeeper and Redis by stop_all_servers)

# stop_pid <pid> [seconds]: SIGTERM, then SIGKILL of that PID after the grace time (default 10 s).
stop_pid() {
  local p=$1 grace=${2:-10}
  kill "$p" 2>/dev/null || return 0
  for _ in $(seq 1 $((grace * 10))); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
}

cleanup() {
  local rc=$? p
  for p in "${own_pids[@]}"; do stop_pid "$p"; done
  stop_all_servers "$run"
  [ $rc -eq 0 ] || log "failed (exit $rc); logs are in $run"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_packages haproxy openssl

log "building (Release)"
dotnet build benchmarks -c Release -v quiet -nologo >"$run/build.log" 2>&1 || { tail -30 "$run/build.log"; exit 1; }
dotnet build src/Chatctl -c Release -v quiet -nologo >>"$run/build.log" 2>&1 || { tail -30 "$run/build.log"; exit 1; }
bench=(dotnet benchmarks/bin/Release/net10.0/Chat.Benchmarks.dll)
gateway_dll=src/Gateway/bin/Release/net10.0/Chat.Gateway.dll
shard_dll=src/ChatService/bin/Release/net10.0/Chat.ChatService.dll

# Keys and one certificate for both TLS fronts (HAProxy wants certificate and key in one PEM).
dotnet src/Chatctl/bin/Release/net10.0/chatctl.dll key new --out "$run/tokens.txt" >/dev/null
dotnet src/Chatctl/bin/Release/net10.0/chatctl.dll key new --out "$run/cluster.txt" >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=localhost \
  -keyout "$run/ec.key" -out "$run/ec.crt" 2>/dev/null
cat "$run/ec.crt" "$run/ec.key" >"$run/ec.pem"

start_zookeeper "$run" zk
start_redis "$run" redis
zk="127.0.0.1:$(cat "$run/zk/port")"
redis="127.0.0.1:$(cat "$run/redis/port")"

# wait_for_line <file> <pattern> <pid> <what>: 60 s at most.
wait_for_line() {
  local deadline=$((SECONDS + 60))
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { log "$4 exited; tail of $1:"; tail -20 "$1" >&2; return 1; }
    [ $SECONDS -lt $deadline ] || { log "$4 not ready after 60 s; see $1"; return 1; }
    sleep 0.2
  done
}

shard_direct=$(free_port) shard_mux=$(free_port)
log "starting the shard on core 1 (direct 127.0.0.1:$shard_direct)"
# Ping is answered without the per-device rate limit, but the limit is lifted anyway: the shard is
# the far end here, not what is measured.
taskset -c 1 dotnet "$shard_dll" --shard-id s1 --zk "$zk" --zk-root /bench --redis "$redis" \
  --token-keys "$run/tokens.txt" --cluster-key "$run/cluster.txt" \
  --direct-listen "127.0.0.1:$shard_direct" --mux-listen "127.0.0.1:$shard_mux" --admin http://127.0.0.1:0 \
  --event-loops 1 --rate 1000000 --rate-burst 1000000 >"$run/shard.log" 2>&1 &
shard_pid=$!
own_pids+=("$shard_pid")
wait_for_line "$run/shard.log" "ready: registered and in the ring" "$shard_pid" shard

gateway_port=$(free_port) gateway_admin=$(free_port)
gateway_pid=""
start_gateway() {
  log "starting the gateway on core 0 (127.0.0.1:$gateway_port) ${BENCH_GATEWAY_ENV:-}"
  : >"$run/gateway.log"
  # shellcheck disable=SC2086 # BENCH_GATEWAY_ENV is a list of NAME=value words.
  env ${BENCH_GATEWAY_ENV:-} taskset -c 0 dotnet "$gateway_dll" --gateway-id g1 --listen "127.0.0.1:$gateway_port" \
    --cert "$run/ec.crt" --key "$run/ec.key" --zk "$zk" --zk-root /bench \
    --token-keys "$run/tokens.txt" --cluster-key "$run/cluster.txt" --admin "http://127.0.0.1:$gateway_admin" \
    --event-loops 1 --handshakes-per-second 0 --Drain:GoAwayDelay 00:00:00 --Drain:QuietPeriod 00:00:01 \
    >>"$run/gateway.log" 2>&1 &
  gateway_pid=$!
  own_pids+=("$gateway_pid")
  wait_for_line "$run/gateway.log" "ready: clients on" "$gateway_pid" gateway
}

haproxy_port=$(free_port)
haproxy_pids=()
# start_haproxy <instances>: HAProxy 2.6 on core 0, `nbthread 1` per process; several processes
# share the port (SO_REUSEPORT, HAProxy's default), as in the anchors' memory runs.
start_haproxy() {
  local instances=$1 i
  cat >"$run/haproxy.cfg" <<EOF
global
    maxconn 9900
    nbthread 1
    tune.ssl.default-dh-param 2048
    ssl-default-bind-options ssl-min-ver TLSv1.2

defaults
    mode tcp
    maxconn 9900
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout client-fin 30s
    timeout server-fin 30s

frontend fe_tls
    bind 127.0.0.1:$haproxy_port ssl crt $run/ec.pem
    default_backend be_shard

backend be_shard
    server shard1 127.0.0.1:$shard_direct
EOF
  haproxy_pids=()
  for i in $(seq 1 "$instances"); do
    taskset -c 0 haproxy -f "$run/haproxy.cfg" -db >>"$run/haproxy.log" 2>&1 &
    haproxy_pids+=("$!")
    own_pids+=("$!")
  done
  local deadline=$((SECONDS + 30))
  until [ "$(ss -Hltn "sport = :$haproxy_port" | wc -l)" -ge "$instances" ]; do
    [ $SECONDS -lt $deadline ] || { log "HAProxy not listening; see $run/haproxy.log"; return 1; }
    sleep 0.2
  done
}

stop_haproxy() {
  local p
  for p in "${haproxy_pids[@]}"; do stop_pid "$p"; done
  haproxy_pids=()
}

# SIGTERM drains the gateway: GoAway to no one, a second of quiet, deregistration.
stop_gateway() {
  stop_pid "$gateway_pid" 30
}

joined() { local IFS=,; echo "$*"; }

results="$run/results.txt"
: >"$results"
# figure <run> <command...>: runs one bench mode on core 1, keeps its RESULT lines (tagged with the run).
figure() {
  local r=$1; shift
  taskset -c 1 env DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "${bench[@]}" "$@" --token-keys "$run/tokens.txt" \
    2>&1 | tee -a "$run/bench.log" | { grep '^RESULT' || true; } | sed "s/^RESULT /RESULT run=$r /" | tee -a "$results" \
    || log "figure failed: $1 $3 (see $run/bench.log)"
}

# What else used the CPU: the busiest processes that are not ours, and the load average.
machine_load() {
  log "load: $(cut -d' ' -f1-3 /proc/loadavg); busiest: $(ps -eo pcpu,comm --sort=-pcpu --no-headers | head -5 | awk '{printf "%s(%s%%) ", $2, $1}')"
}

metrics="http://127.0.0.1:$gateway_admin/metrics"
for r in $(seq 1 "$runs"); do
  log "run $r of $runs"
  machine_load

  # Idle memory: a fresh server each, warmed by a few relayed round trips (JIT, pools), then N connections.
  start_gateway
  figure "$r" gateway-relay --target "127.0.0.1:$gateway_port" --tls true --conns 10 --secs 1 --warmup 0 --quiet-wait 0 --label warm >/dev/null
  sleep 2
  figure "$r" gateway-idle --target "127.0.0.1:$gateway_port" --server-pids "$gateway_pid" --n "$idle_n" --label gateway --metrics "$metrics"
  start_haproxy 4
  figure "$r" gateway-relay --target "127.0.0.1:$haproxy_port" --tls true --conns 10 --secs 1 --warmup 0 --quiet-wait 0 --label warm >/dev/null
  sleep 2
  figure "$r" gateway-idle --target "127.0.0.1:$haproxy_port" --server-pids "$(joined "${haproxy_pids[@]}")" --n "$idle_n" --label haproxy
  stop_haproxy

  # Handshakes and relay: one HAProxy process, as in the anchors.
  start_haproxy 1
  machine_load
  # Before each CPU figure: wait (at most --quiet-wait s) until other processes use <= 10% of the machine.
  hs=(--secs "$secs" --other-pids "$shard_pid" --quiet-wait "$quiet_wait")
  figure "$r" gateway-handshakes --target "127.0.0.1:$gateway_port" --server-pids "$gateway_pid" "${hs[@]}" --label gateway --metrics "$metrics"
  figure "$r" gateway-handshakes --target "127.0.0.1:$haproxy_port" --server-pids "$(joined "${haproxy_pids[@]}")" "${hs[@]}" --label haproxy
  machine_load
  for conns in 1 100; do
    relay=(--conns "$conns" --secs "$secs" --quiet-wait "$quiet_wait")
    figure "$r" gateway-relay --target "127.0.0.1:$shard_direct" --tls false --server-pids "$shard_pid" "${relay[@]}" --label direct
    figure "$r" gateway-relay --target "127.0.0.1:$gateway_port" --tls true --server-pids "$gateway_pid" --other-pids "$shard_pid" "${relay[@]}" --label gateway --metrics "$metrics"
    figure "$r" gateway-relay --target "127.0.0.1:$haproxy_port" --tls true --server-pids "$(joined "${haproxy_pids[@]}")" --other-pids "$shard_pid" "${relay[@]}" --label haproxy
  done
  stop_haproxy
  stop_gateway
done
machine_load

python3 scripts/lib/bench_table.py "$results"
log "raw results: $results; logs: $run"
