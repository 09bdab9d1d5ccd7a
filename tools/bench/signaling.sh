#!/usr/bin/env bash
# Signaling benchmarks of issue #2, each printing one JSON line. Builds the jars if needed, starts the server jar on a
# loopback port with the flags each case needs, runs tools' signaling-load against it, then stops it.
#   tools/bench/signaling.sh [relay|storm|idle|all]
# Environment: JAVA_SERVER_OPTS (server JVM flags, default those of the launcher, server/meshgate),
#              URL_PORT (default 19090), IDLE_CLIENTS (default 19900; see "idle" below).
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
PORT=${URL_PORT:-19090}
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
SPID=
load() {
  java -jar tools/target/meshgate-tools.jar signaling-load --url "ws://127.0.0.1:$PORT/" --server-pid "$SPID" "$@"
}
trap 'stop_server' EXIT

relay() {
  # The issue's setup: 400 clients, lobbies of 4, window 8. The first run only warms the JIT. Each client sends
  # several hundred messages a second here, near the default per-connection limit (500/s), which exists for real
  # clients; this case measures relay capacity, so the limit is raised for it.
  start_server "$PORT" --message-rate 100000 --message-burst 100000
  load --clients 400 --lobby-size 4 --window 8 --warmup 2 --seconds 5 --label warmup > /dev/null
  load --clients 400 --lobby-size 4 --window 8 --warmup 3 --seconds 15 --label relay-400x4-w8
  stop_server
}

storm() {
  # 4,000 clients in lobbies of 4 (1,000 lobbies) against a warm server, at several arrival intensities.
  start_server "$PORT" --max-peers 5000
  for _ in 1 2; do load --clients 4000 --mode idle --seconds 1 --label warmup > /dev/null; done
  load --clients 4000 --mode idle --seconds 1 --connect-parallel 256 --label storm-4000-unpaced-256inflight
  load --clients 4000 --mode idle --seconds 1 --connect-parallel 64 --label storm-4000-unpaced-64inflight
  load --clients 4000 --mode idle --seconds 1 --join-rate 2000 --label storm-4000-2000persec
  load --clients 4000 --mode idle --seconds 1 --join-rate 1000 --label storm-4000-1000persec
  stop_server
}

idle() {
  # Idle connections held in lobbies of 20. RLIMIT_NOFILE on these machines is 20000 for every process and cannot
  # be raised, so neither the server nor one generator can hold 20,000 sockets: IDLE_CLIENTS defaults to 19,900
  # and two generator processes share them.
  local total=${IDLE_CLIENTS:-19900}
  local half=$(( total / 2 / 20 * 20 ))
  start_server "$PORT" --max-peers $(( total + 100 )) --max-lobbies $(( total / 20 + 10 )) --ping-interval 10000
  load --clients "$half" --lobby-size 20 --mode idle --seconds 30 --connect-parallel 128 --label idle-a &
  local first=$!
  load --clients $(( total - half )) --lobby-size 20 --mode idle --seconds 25 --connect-parallel 128 --label idle-b
  wait $first
  stop_server
}

case "${1:-all}" in
  relay) relay ;;
  storm) storm ;;
  idle) idle ;;
  all) relay; storm; idle ;;
  *) echo "usage: $0 [relay|storm|idle|all]" >&2; exit 2 ;;
esac
