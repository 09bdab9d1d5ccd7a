#!/usr/bin/env bash
# Signaling across a cluster (issue #15): the same relay load against one node, then against three nodes sharing a
# redis-server of this script's own, with each lobby's members spread over the nodes (client i on node i mod 3, so
# in lobbies of 4 every lobby spans nodes). Prints both JSON lines; the cluster's adds Redis's commands and CPU per
# relayed message and each node's RSS. Everything runs on this machine, load generator included.
# Then the same for relay players (PART=signaling or PART=relay runs one of the two).
#   RATE=20000 WARM=30 DURATION=10 CLIENTS=400 RELAY_CLIENTS=200 tools/bench/cluster.sh
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
RATE=${RATE:-20000}
WARM=${WARM:-30}  # three JVMs and the generator share the cores: their JIT takes a while to settle
DURATION=${DURATION:-10}
CLIENTS=${CLIENTS:-400}
RELAY_CLIENTS=${RELAY_CLIENTS:-200}
PART=${PART:-all}  # signaling, relay or all
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
REDIS_PORT=19599
if ! command -v redis-server > /dev/null; then
  echo "needs redis-server (apt-get install redis-server)" >&2
  exit 2
fi

load() {
  java -jar tools/target/meshgate-tools.jar signaling-load --clients "$CLIENTS" --lobby-size 4 --rate "$RATE" \
    --warmup "$WARM" --seconds "$DURATION" "$@"
}

# Relay players (no WebRTC) in server-hosted arena lobbies, 30 inputs and relayed packets a second each: across
# nodes, quick play fills a lobby with players of any node, so most game traffic crosses nodes.
relay_load() {
  java -jar tools/target/meshgate-tools.jar relay-load --clients "$RELAY_CLIENTS" --lobby-size 4 --input-hz 30 \
    --warmup "$WARM" --seconds "$DURATION" "$@"
}

cluster_up() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > /dev/null &
  RPID=$!
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT) 2>/dev/null && break; sleep 0.1; done
  PIDS=()
  URLS=()
  for node in 0 1 2; do
    port=$(( 19510 + node * 10 ))
    start_server "$port" --max-peers 5000 --max-lobbies 2000 --quick-play-size 4 \
      --cluster-redis "redis://127.0.0.1:$REDIS_PORT" --node-id "bench-$node"
    PIDS+=("$SPID")
    URLS+=("ws://127.0.0.1:$port/")
  done
}

cluster_down() {
  for p in "${PIDS[@]}"; do SPID=$p stop_server; done
  kill "$RPID" 2>/dev/null || true
  wait "$RPID" 2>/dev/null || true
  PIDS=()
}

PIDS=()
RPID=
trap 'for p in "${PIDS[@]}"; do SPID=$p stop_server; done; [ -n "$RPID" ] && kill $RPID 2>/dev/null || true' EXIT

if [ "$PART" != relay ]; then
  start_server 19500 --max-peers 5000 --max-lobbies 2000
  load --url ws://127.0.0.1:19500/ --server-pid "$SPID" --label "single-node-$RATE"
  stop_server
  cluster_up
  load --url "$(IFS=,; echo "${URLS[*]}")" --server-pid "$(IFS=,; echo "${PIDS[*]}")" \
    --redis-url "redis://127.0.0.1:$REDIS_PORT" --redis-pid "$RPID" --label "three-nodes-$RATE"
  cluster_down
fi
if [ "$PART" != signaling ]; then
  start_server 19500 --max-peers 5000 --max-lobbies 2000 --quick-play-size 4
  relay_load --url ws://127.0.0.1:19500/ --server-pid "$SPID" --label "relay-single-node-$RELAY_CLIENTS"
  stop_server
  cluster_up
  relay_load --url "$(IFS=,; echo "${URLS[*]}")" --server-pid "$(IFS=,; echo "${PIDS[*]}")" \
    --label "relay-three-nodes-$RELAY_CLIENTS"
  cluster_down
fi
