#!/usr/bin/env bash
# Drains the local chat process (gateway or shard) for an autoscaling scale-in and then completes
# the instance's lifecycle action, so the instance is terminated only after its clients have moved.
#
#   lifecycle-hook.sh [options]
#
#   --admin-url URL          admin endpoint of the local process     (env CHAT_ADMIN_URL, default http://127.0.0.1:9100)
#   --timeout SECONDS        give up waiting after this long          (env CHAT_HOOK_TIMEOUT, default 900)
#   --poll SECONDS           pause between GET /admin/drain polls     (default 2)
#   --heartbeat SECONDS      run the heartbeat command this often     (default 60)
#   --pid PID                the process; its exit also ends the wait (optional)
#   --complete-command CMD   run once the drain is over               (env CHAT_COMPLETE_COMMAND)
#   --heartbeat-command CMD  run every --heartbeat seconds meanwhile  (env CHAT_HEARTBEAT_COMMAND)
#   --aws-asg NAME --aws-hook NAME [--aws-instance ID]
#                            build both commands for the AWS CLI (autoscaling complete-lifecycle-action
#                            and record-lifecycle-action-heartbeat); the instance id defaults to the
#                            instance metadata's. No cloud CLI is needed unless these are used.
#   --dry-run                drain for real, but print the lifecycle commands instead of running them
#
# Steps: POST /admin/drain (idempotent: a drain already running is joined), then poll GET
# /admin/drain until its phase is "drained", the endpoint stops answering (the process exited after
# draining), the --pid process is gone, or the timeout passes; heartbeat meanwhile; then run the
# complete command. Exit 0 when the drain finished, 3 when it timed out (the action is completed
# anyway: the instance is leaving), 2 on bad usage, 4 when the complete command failed.
set -uo pipefail

admin_url=${CHAT_ADMIN_URL:-http://127.0.0.1:9100}
timeout_s=${CHAT_HOOK_TIMEOUT:-900}
poll_s=2
heartbeat_s=60
pid=""
complete_cmd=${CHAT_COMPLETE_COMMAND:-}
heartbeat_cmd=${CHAT_HEARTBEAT_COMMAND:-}
aws_asg="" aws_hook="" aws_instance=""
dry_run=0

log() { printf '%s lifecycle-hook: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
usage() { sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --admin-url) admin_url=${2:?}; shift ;;
    --timeout) timeout_s=${2:?}; shift ;;
    --poll) poll_s=${2:?}; shift ;;
    --heartbeat) heartbeat_s=${2:?}; shift ;;
    --pid) pid=${2:?}; shift ;;
    --complete-command) complete_cmd=${2:?}; shift ;;
    --heartbeat-command) heartbeat_cmd=${2:?}; shift ;;
    --aws-asg) aws_asg=${2:?}; shift ;;
    --aws-hook) aws_hook=${2:?}; shift ;;
    --aws-instance) aws_instance=${2:?}; shift ;;
    --dry-run) dry_run=1 ;;
    -h|--help) usage ;;
    *) echo "lifecycle-hook: unknown option $1" >&2; usage ;;
  esac
  shift
done

[[ $admin_url =~ ^http://([^/:]+)(:([0-9]+))?/?$ ]] || { echo "lifecycle-hook: --admin-url must be http://host[:port], got $admin_url" >&2; exit 2; }
admin_host=${BASH_REMATCH[1]}
admin_port=${BASH_REMATCH[3]:-80}
[[ $timeout_s =~ ^[0-9]+$ ]] || { echo "lifecycle-hook: --timeout must be whole seconds" >&2; exit 2; }

if [ -n "$aws_asg$aws_hook" ]; then
  [ -n "$aws_asg" ] && [ -n "$aws_hook" ] || { echo "lifecycle-hook: --aws-asg and --aws-hook go together" >&2; exit 2; }
  if [ -z "$aws_instance" ]; then
    # IMDSv2: a session token first, then the instance id.
    token=$(curl -fsS -m 2 -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' 2>/dev/null) || token=""
    aws_instance=$(curl -fsS -m 2 -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id 2>/dev/null) \
      || { echo "lifecycle-hook: no --aws-instance and no instance metadata" >&2; exit 2; }
  fi
  common="--lifecycle-hook-name $(printf %q "$aws_hook") --auto-scaling-group-name $(printf %q "$aws_asg") --instance-id $(printf %q "$aws_instance")"
  complete_cmd="aws autoscaling complete-lifecycle-action $common --lifecycle-action-result CONTINUE"
  heartbeat_cmd="aws autoscaling record-lifecycle-action-heartbeat $common"
fi

# One HTTP/1.0 request; prints the status code on the first line, then the body. Uses curl when
# present, else bash's /dev/tcp (minimal images). Fails when nothing listens.
http() {
  local method=$1 path=$2
  if command -v curl >/dev/null 2>&1; then
    local out
    out=$(curl -sS -m 5 -X "$method" -o - -w '\n%{http_code}' "http://$admin_host:$admin_port$path" 2>/dev/null) || return 1
    printf '%s\n%s\n' "${out##*$'\n'}" "${out%$'\n'*}"
    return 0
  fi
  local reply
  reply=$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "%s %s HTTP/1.0\r\nHost: %s\r\nContent-Length: 0\r\n\r\n" "$3" "$4" "$1" >&3
    cat <&3' _ "$admin_host" "$admin_port" "$method" "$path" 2>/dev/null) || return 1
  local status=${reply#* }
  printf '%s\n%s\n' "${status%% *}" "${reply#*$'\r\n\r\n'}"
}

json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" <<<"$2" | head -n 1; }

run_or_print() {
  local what=$1 cmd=$2
  if [ -z "$cmd" ]; then
    log "no $what command configured"
    return 0
  fi
  if [ $dry_run -eq 1 ]; then
    log "dry run: would run $what: $cmd"
    return 0
  fi
  log "running $what: $cmd"
  bash -c "$cmd"
}

finish() {
  local code=$1
  if ! run_or_print complete "$complete_cmd"; then
    log "complete command failed"
    exit 4
  fi
  exit "$code"
}

if ! reply=$(http POST /admin/drain); then
  log "nothing answers at $admin_url: the process is not running, nothing to drain"
  finish 0
fi
status=$(head -n 1 <<<"$reply")
body=$(tail -n +2 <<<"$reply")
if [ "$status" != 202 ] && [ "$status" != 200 ]; then
  log "POST /admin/drain answered $status: $body"
  finish 3
fi
log "drain requested: $body"

start=$SECONDS
last_beat=$SECONDS
while :; do
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    log "process $pid has exited"
    finish 0
  fi
  if ! reply=$(http GET /admin/drain); then
    log "admin endpoint closed: the process exited after draining"
    finish 0
  fi
  body=$(tail -n +2 <<<"$reply")
  phase=$(json_field phase "$body")
  log "phase $phase, remaining $(json_field remaining "$body"), $(json_field detail "$body")"
  if [ "$phase" = drained ]; then
    finish 0
  fi
  if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
    log "timed out after ${timeout_s}s; completing the lifecycle action anyway"
    finish 3
  fi
  if [ $((SECONDS - last_beat)) -ge "${heartbeat_s%.*}" ]; then
    run_or_print heartbeat "$heartbeat_cmd" || log "heartbeat command failed"
    last_beat=$SECONDS
  fi
  sleep "$poll_s"
done
