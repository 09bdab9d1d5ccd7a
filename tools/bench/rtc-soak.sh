#!/usr/bin/env bash
# WebRTC soak benchmark of issue #3: LOBBIES lobby lifecycles of MESSAGES received messages each (default 500 x 2000,
# 1,000,000 in all) against the server jar with a factory generation budget of BUDGET messages, inside a private
# network namespace. Prints rtc-soak's JSON line.
#   BUDGET=100000 tools/bench/rtc-soak.sh
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
in_netns "$(realpath "$0")" "$@"
PORT=19300
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
start_server $PORT --rtc-reveal-cidrs 10.213.0.0/24 --rtc-generation-budget "${BUDGET:-100000}" \
  --message-rate 100000 --message-burst 100000
trap stop_server EXIT
# ROUNDS runs against the same server show whether RSS and threads level off.
for round in $(seq "${ROUNDS:-1}"); do
  java -Xmx1g -jar tools/target/meshgate-tools.jar rtc-soak --url "ws://127.0.0.1:$PORT/" --server-pid $SPID \
    --admin-url "http://127.0.0.1:$ADMIN_PORT/" \
    --lobbies "${LOBBIES:-500}" --messages "${MESSAGES:-2000}" --label "soak-budget-${BUDGET:-100000}-round-$round" "$@"
  echo "server threads by name after round $round:" >&2
  cat /proc/$SPID/task/*/comm | sed 's/[0-9]*$//' | sort | uniq -c | sort -rn >&2
done
