#!/usr/bin/env bash
# Server-hosted play benchmark of issue #3: LOBBIES lobbies of SIZE WebRTC bots playing the arena at 30 Hz, against
# the server jar, both inside a private network namespace (tools/netns-run). Prints game-load's JSON line.
#   LOBBIES=64 SIZE=4 DURATION=30 tools/bench/game.sh   (not SECONDS: bash keeps its own)
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
in_netns "$(realpath "$0")" "$@"
PORT=19200
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
start_server $PORT --rtc-reveal-cidrs 10.213.0.0/24 --tick-rate 30 --rtc-connect-timeout 60000 --max-lobbies 1024
trap stop_server EXIT
java -Xmx1g -jar tools/target/meshgate-tools.jar game-load --url "ws://127.0.0.1:$PORT/" --server-pid $SPID \
  --admin-url "http://127.0.0.1:$ADMIN_PORT/" \
  --lobbies "${LOBBIES:-64}" --lobby-size "${SIZE:-4}" --input-hz 30 --seconds "${DURATION:-30}" \
  --label "game-${LOBBIES:-64}x${SIZE:-4}" "$@"
