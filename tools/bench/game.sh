#!/usr/bin/env bash
# Server-hosted play benchmark of issue #3: LOBBIES lobbies of SIZE WebRTC bots playing the arena at 30 Hz, against
# the server jar, both inside a private network namespace (tools/netns-run). Prints game-load's JSON line.
#   LOBBIES=64 SIZE=4 SECONDS=30 tools/bench/game.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f server/target/meshgate-server.jar ] && [ -f tools/target/meshgate-tools.jar ] || mvn -B -q -ntp package -DskipTests
if [ "${MESHGATE_IN_NETNS:-}" != 1 ]; then
  exec tools/netns-run "$0" "$@"
fi
PORT=19200
LOG=$(mktemp)
# shellcheck disable=SC2086
java ${JAVA_SERVER_OPTS:--Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=10} -jar server/target/meshgate-server.jar \
  --host 127.0.0.1 --port $PORT --rtc-reveal-cidrs 10.213.0.0/24 --tick-rate 30 --rtc-connect-timeout 60000 \
  --max-lobbies 1024 > "$LOG" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$LOG" && break; sleep 0.1; done
java -Xmx1g -jar tools/target/meshgate-tools.jar game-load --url "ws://127.0.0.1:$PORT/" --server-pid $SPID \
  --lobbies "${LOBBIES:-64}" --lobby-size "${SIZE:-4}" --input-hz 30 --seconds "${SECONDS:-30}" \
  --label "game-${LOBBIES:-64}x${SIZE:-4}" "$@"
