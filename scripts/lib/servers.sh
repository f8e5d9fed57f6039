# Shared by scripts/test.sh and scripts/demo.sh: install and run ZooKeeper and Redis on loopback as
# child processes of the calling script, each in its own folder under a run directory:
#
#   <run>/<name>/{pid,port,start,kill,log}     start: (re)start on the same port and data, wait until it serves
#                                             kill:  SIGKILL and wait for the exit
#
# Tests use `start` and `kill` to restart servers mid-test (tests/Shared/TestServers.cs). Every process
# is stopped by PID in stop_all_servers, which the caller runs from an EXIT trap.
# Source this file; it defines functions only.

ZK_CLASSPATH=/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Installs the Debian packages that are missing. apt-get update runs at most once per call.
ensure_packages() {
  local missing=()
  [ -f /usr/share/java/zookeeper.jar ] || missing+=(zookeeper)
  [ -f /usr/share/java/slf4j-simple.jar ] || missing+=(libslf4j-java)
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  local pkg
  for pkg in "$@"; do
    case $pkg in
      thrift-compiler) command -v thrift >/dev/null || missing+=(thrift-compiler) ;;
      openssl) command -v openssl >/dev/null || missing+=(openssl) ;;
      haproxy) command -v haproxy >/dev/null || missing+=(haproxy) ;;
      *) dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # The zookeeper package may register a system service on machines with systemd: we never use it.
}

# A TCP port on 127.0.0.1 with no listener, not handed out before in this run. Drawn from
# 12000-21999: below the kernel's ephemeral range (32768+), where outgoing connections take their
# local ports and would make a later bind fail, and with room for a Redis cluster bus (port + 10000).
_used_ports=" "
free_port() {
  local port tries=0
  while [ $tries -lt 200 ]; do
    port=$(( 12000 + (RANDOM * 32768 + RANDOM) % 10000 ))
    tries=$((tries + 1))
    case $_used_ports in *" $port "*) continue ;; esac
    # The cluster bus of a Redis Cluster node uses port + 10000.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 10000))") 2>/dev/null; then
      _used_ports="$_used_ports$port $((port + 10000)) "
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Writes the probe, start and kill scripts of a server folder. $1 folder, $2 readiness probe (a bash
# command that succeeds once the server serves), rest: the server's command line.
_write_control_scripts() {
  local dir=$1 probe=$2; shift 2
  local cmd; printf -v cmd '%q ' "$@"
  printf '#!/usr/bin/env bash\n# Succeeds once this server serves.\n%s\n' "$probe" > "$dir/probe"
  cat > "$dir/start" <<EOF
#!/usr/bin/env bash
# Starts this server again (same port, same data) and waits until it serves: 30 s at most.
cd "$dir" || exit 1
if [ -f pid ] && kill -0 "\$(cat pid)" 2>/dev/null; then echo "already running"; exit 0; fi
setsid $cmd >>log 2>&1 </dev/null &
echo \$! > pid
for _ in \$(seq 1 300); do
  if ./probe; then exit 0; fi
  kill -0 "\$(cat pid)" 2>/dev/null || { echo "exited at start; tail of log:"; tail -20 log; exit 1; }
  sleep 0.1
done
echo "not serving after 30 s"; exit 1
EOF
  cat > "$dir/kill" <<EOF
#!/usr/bin/env bash
# SIGKILLs this server and waits until the process is gone: 10 s at most.
cd "$dir" || exit 1
[ -f pid ] || exit 0
p=\$(cat pid)
kill -9 "\$p" 2>/dev/null
for _ in \$(seq 1 100); do kill -0 "\$p" 2>/dev/null || exit 0; sleep 0.1; done
echo "process \$p did not exit"; exit 1
EOF
  chmod +x "$dir/probe" "$dir/start" "$dir/kill"
}

# True when the ZooKeeper server on port $1 serves requests (standalone, leader or follower).
zk_serving() {
  local out
  out=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && echo srvr >&3 && timeout 2 cat <&3) 2>/dev/null) || return 1
  case $out in *"Mode: "*) return 0 ;; *) return 1 ;; esac
}

# start_zookeeper <run> <name> [ensemble-spec]
# Standalone when no ensemble spec is given; else the spec is "myid:clientPort:peerPort:electionPort,..."
# for every member and <name> must end in its myid.
start_zookeeper() {
  local run=$1 name=$2 ensemble=${3:-}
  local dir="$run/$name" port myid=""
  mkdir -p "$dir/data"
  if [ -z "$ensemble" ]; then
    port=$(free_port)
  else
    myid=${name##*[!0-9]}
    port=$(tr ',' '\n' <<<"$ensemble" | awk -F: -v id="$myid" '$1 == id { print $2 }')
    echo "$myid" > "$dir/data/myid"
  fi
  echo "$port" > "$dir/port"
  {
    echo "tickTime=500"
    echo "initLimit=20"
    echo "syncLimit=10"
    echo "dataDir=$dir/data"
    echo "clientPort=$port"
    echo "clientPortAddress=127.0.0.1"
    echo "admin.enableServer=false"
    echo "4lw.commands.whitelist=srvr,ruok,mntr,stat"
    echo "minSessionTimeout=1000"
    echo "maxSessionTimeout=60000"
    echo "maxClientCnxns=0"
    if [ -n "$ensemble" ]; then
      local member id cport peer elect
      for member in ${ensemble//,/ }; do
        IFS=: read -r id cport peer elect <<<"$member"
        echo "server.$id=127.0.0.1:$peer:$elect"
      done
    fi
  } > "$dir/zoo.cfg"
  # An ensemble node cannot serve until a quorum is up: its start waits only for the listening port.
  local probe
  probe="out=\$( (exec 3<>/dev/tcp/127.0.0.1/$port && echo srvr >&3 && timeout 2 cat <&3) 2>/dev/null) && [[ \$out == *'Mode: '* ]]"
  [ -n "$ensemble" ] && probe="(exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"
  _write_control_scripts "$dir" "$probe" java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dzookeeper.admin.enableServer=false -cp "$ZK_CLASSPATH" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg"
  "$dir/start" >&2
}

# start_zookeeper_ensemble <run> <prefix> <count>: nodes <prefix>1..<count>; prints the connect string.
start_zookeeper_ensemble() {
  local run=$1 prefix=$2 count=$3 spec="" i connect=""
  for i in $(seq 1 "$count"); do
    spec="$spec${spec:+,}$i:$(free_port):$(free_port):$(free_port)"
  done
  for i in $(seq 1 "$count"); do
    start_zookeeper "$run" "$prefix$i" "$spec"
    connect="$connect${connect:+,}127.0.0.1:$(cat "$run/$prefix$i/port")"
  done
  # Wait for the quorum: every node serving.
  local deadline=$((SECONDS + 60))
  for i in $(seq 1 "$count"); do
    until zk_serving "$(cat "$run/$prefix$i/port")"; do
      [ $SECONDS -lt $deadline ] || { log "ensemble did not form; see $run/$prefix$i/log"; return 1; }
      sleep 0.2
    done
  done
  echo "$connect"
}

# start_redis <run> <name> [extra redis-server arguments...]: AOF on, appendfsync everysec.
start_redis() {
  local run=$1 name=$2; shift 2
  local dir="$run/$name" port
  mkdir -p "$dir/data"
  port=$(free_port)
  echo "$port" > "$dir/port"
  _write_control_scripts "$dir" "redis-cli -p $port ping 2>/dev/null | grep -q PONG" \
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/data" --appendonly yes --appendfsync everysec \
    --save "" --daemonize no --loglevel warning "$@"
  "$dir/start" >&2
}

# start_redis_cluster <run> <prefix> <count>: <count> masters, no replicas; prints "host:port,..." .
start_redis_cluster() {
  local run=$1 prefix=$2 count=$3 i nodes=() connect=""
  for i in $(seq 1 "$count"); do
    start_redis "$run" "$prefix$i" --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000
    nodes+=("127.0.0.1:$(cat "$run/$prefix$i/port")")
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$run/$prefix-create.log" 2>&1 \
    || { log "redis cluster create failed: $(tail -5 "$run/$prefix-create.log")"; return 1; }
  local deadline=$((SECONDS + 30)) node
  for node in "${nodes[@]}"; do
    until redis-cli -p "${node##*:}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; do
      [ $SECONDS -lt $deadline ] || { log "redis cluster not ok at $node"; return 1; }
      sleep 0.2
    done
    connect="$connect${connect:+,}$node"
  done
  echo "$connect"
}

# Writes <run>/bin/zkcli: `zkcli <connect> <command...>` through the ZooKeeper package's own CLI class.
write_zkcli() {
  local run=$1
  mkdir -p "$run/bin"
  cat > "$run/bin/zkcli" <<EOF
#!/usr/bin/env bash
# The ZooKeeper command-line client of the Debian package (org.apache.zookeeper.ZooKeeperMain).
server=\$1; shift
exec java -Xms16m -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$ZK_CLASSPATH" \
  org.apache.zookeeper.ZooKeeperMain -server "\$server" "\$@"
EOF
  chmod +x "$run/bin/zkcli"
}

# Stops every server started under <run> by the PID in its folder, then waits for them to exit.
stop_all_servers() {
  local run=$1 pidfile p
  [ -d "$run" ] || return 0
  for pidfile in "$run"/*/pid; do
    [ -f "$pidfile" ] || continue
    p=$(cat "$pidfile")
    kill "$p" 2>/dev/null
  done
  for pidfile in "$run"/*/pid; do
    [ -f "$pidfile" ] || continue
    p=$(cat "$pidfile")
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -9 "$p" 2>/dev/null; then
      for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
}
