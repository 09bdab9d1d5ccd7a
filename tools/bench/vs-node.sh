#!/usr/bin/env bash
# Meshgate against Godot's Node signaling server (issue #14): the same generator and the same load against each, one
# after the other, inside a private network namespace (server.js hard-codes port 9080, free in there). Prints each
# server's JSON lines, then one line of ratios (Meshgate / Node).
#   tools/bench/vs-node.sh <path to godot-demo-projects/networking/webrtc_signaling/server_node/server.js>
# server.js is never part of this repository: check out godotengine/godot-demo-projects and install ws 7 beside it
# (cd .../server_node && npm install ws@7). Environment: RATE (default 20000 messages/s), WARM (10 s), DURATION (10 s),
# STORM (4000 clients), JAVA_SERVER_OPTS (default: the launcher's, server/meshgate).
set -euo pipefail
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: $0 <path to server_node/server.js>" >&2
  exit 2
fi
SERVER_JS=$(realpath "$1")
shift
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
in_netns "$(realpath "$0")" "$SERVER_JS" "$@"
if [ ! -d "$(dirname "$SERVER_JS")/node_modules/ws" ]; then
  echo "ws is not installed beside server.js: (cd $(dirname "$SERVER_JS") && npm install ws@7)" >&2
  exit 2
fi
PORT=9080
RATE=${RATE:-20000}
WARM=${WARM:-10}
DURATION=${DURATION:-10}
STORM=${STORM:-4000}
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
OUT=$(mktemp -d)

load() {
  java -jar tools/target/meshgate-tools.jar signaling-load --url "ws://127.0.0.1:$PORT/" --server-pid "$1" "${@:2}"
}

# Each server: the steady relay (400 clients in lobbies of 4, RATE messages/s open loop, WARM s of the same load
# first), then STORM clients joining in waves of 200, cold and again warm, with the server's RSS per idle connection.
# The RSS a storm adds depends on what the relay run left committed, so each server is first started fresh for one
# storm alone: what STORM idle connections cost a process that has done nothing else.
fresh() {
  local name=$1 pid=$2
  load "$pid" --clients "$STORM" --lobby-size 4 --mode idle --seconds 5 --connect-parallel 200 \
    --label "$name-storm-fresh" | tee "$OUT/$name-storm-fresh.json"
}

measure() {
  local name=$1 pid=$2
  load "$pid" --clients 400 --lobby-size 4 --rate "$RATE" --warmup "$WARM" --seconds "$DURATION" \
    --label "$name-relay-$RATE" | tee "$OUT/$name-relay.json"
  load "$pid" --clients "$STORM" --lobby-size 4 --mode idle --seconds 5 --connect-parallel 200 \
    --label "$name-storm-cold" | tee "$OUT/$name-storm-cold.json"
  load "$pid" --clients "$STORM" --lobby-size 4 --mode idle --seconds 5 --connect-parallel 200 \
    --label "$name-storm-warm" | tee "$OUT/$name-storm-warm.json"
  echo "{\"server\":\"$name\",\"threads\":$(ls /proc/"$pid"/task | wc -l),\"rssMb\":$(( $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status) / 1024 ))}" \
    | tee "$OUT/$name-process.json"
}

wait_for_port() {
  for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0; sleep 0.1; done
  echo "nothing listens on $PORT" >&2
  exit 1
}

start_node() {
  (cd "$(dirname "$SERVER_JS")" && exec node "$(basename "$SERVER_JS")") > "$OUT/node.log" 2>&1 &
  NPID=$!
  wait_for_port
}

stop_node() {
  kill "$NPID"
  wait "$NPID" 2>/dev/null || true
}

NPID=
trap '[ -n "$NPID" ] && kill $NPID 2>/dev/null; stop_server' EXIT
start_node
fresh node "$NPID"
stop_node
start_node
measure node "$NPID"
stop_node

start_server "$PORT" --max-peers 5000 --max-lobbies 2000
fresh meshgate "$SPID"
stop_server
start_server "$PORT" --max-peers 5000 --max-lobbies 2000
measure meshgate "$SPID"
stop_server

node -e '
const fs = require("fs"); const dir = process.argv[1];
const r = (f) => JSON.parse(fs.readFileSync(`${dir}/${f}.json`, "utf8"));
const ratio = (a, b) => Math.round(a / b * 100) / 100;
const out = {};
for (const k of ["serverCpuUsPerMessage", "relayP99Ms", "serverRssMb", "relayPerSec"]) {
  out[k] = ratio(r("meshgate-relay")[k], r("node-relay")[k]);
}
for (const s of ["fresh", "cold", "warm"]) out[`joinP99Ms-${s}`] = ratio(r(`meshgate-storm-${s}`).joinP99Ms, r(`node-storm-${s}`).joinP99Ms);
// growth of a fresh process: after the relay run, a storm partly fills memory that run left committed
out.kbPerIdleConnection = ratio(r("meshgate-storm-fresh").serverKbPerConnection, r("node-storm-fresh").serverKbPerConnection);
out.threads = ratio(r("meshgate-process").threads, r("node-process").threads);
console.log(JSON.stringify({ratios: "meshgate / node", ...out}));
' "$OUT"
