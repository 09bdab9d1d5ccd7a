#!/usr/bin/env bash
# Relay benchmark of issue #6: CLIENTS Godot 4 relay clients (default 1000) in server-hosted lobbies of 4, each
# sending an arena input and a relayed packet 30 times a second, each client at its own phase (--aligned: all at
# once). Plain WebSocket: no network namespace needed.
#   CLIENTS=1000 DURATION=20 tools/bench/relay.sh
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
start_server 19900 --quick-play-size 4 --max-lobbies 2048 --max-peers $(( ${CLIENTS:-1000} + 100 ))
trap stop_server EXIT
java -jar tools/target/meshgate-tools.jar relay-load --url ws://127.0.0.1:19900/ --server-pid "$SPID" \
  --clients "${CLIENTS:-1000}" --lobby-size 4 --input-hz 30 --seconds "${DURATION:-20}" \
  --label "relay-${CLIENTS:-1000}x4-30hz" "$@"
