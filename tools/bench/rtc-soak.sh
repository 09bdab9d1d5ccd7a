#!/usr/bin/env bash
# WebRTC soak benchmark of issue #3: LOBBIES lobby lifecycles of MESSAGES received messages each (default 500 x 2000,
# 1,000,000 in all) against the server jar with a factory generation budget of BUDGET messages, inside a private
# network namespace. Prints rtc-soak's JSON line.
#   BUDGET=100000 tools/bench/rtc-soak.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f server/target/meshgate-server.jar ] && [ -f tools/target/meshgate-tools.jar ] || mvn -B -q -ntp package -DskipTests
if [ "${MESHGATE_IN_NETNS:-}" != 1 ]; then
  exec tools/netns-run "$0" "$@"
fi
PORT=19300
LOG=$(mktemp)
# shellcheck disable=SC2086
java ${JAVA_SERVER_OPTS:--Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=10} -jar server/target/meshgate-server.jar \
  --host 127.0.0.1 --port $PORT --rtc-reveal-cidrs 10.213.0.0/24 --rtc-generation-budget "${BUDGET:-100000}" \
  --message-rate 100000 --message-burst 100000 > "$LOG" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; wait $SPID 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$LOG" && break; sleep 0.1; done
# ROUNDS runs against the same server show whether RSS and threads level off.
for round in $(seq "${ROUNDS:-1}"); do
  java -Xmx1g -jar tools/target/meshgate-tools.jar rtc-soak --url "ws://127.0.0.1:$PORT/" --server-pid $SPID \
    --lobbies "${LOBBIES:-500}" --messages "${MESSAGES:-2000}" --label "soak-budget-${BUDGET:-100000}-round-$round" "$@"
  echo "server threads by name after round $round:" >&2
  cat /proc/$SPID/task/*/comm | sed 's/[0-9]*$//' | sort | uniq -c | sort -rn >&2
done
