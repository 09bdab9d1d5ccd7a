#!/usr/bin/env bash
# Relay players in peer-hosted lobbies (issue #16): LOBBIES client/server lobbies, each a WebRTC host, two WebRTC
# members and one relay player the server stands in for, exchanging packets with the host at 30 Hz, against the server
# jar, both inside a private network namespace (tools/netns-run). Prints stand-in-load's JSON line, for 1 lobby and
# for LOBBIES (default 100).
#   LOBBIES=100 DURATION=20 tools/bench/standin.sh   (not SECONDS: bash keeps its own)
set -euo pipefail
cd "$(dirname "$(realpath "$0")")/../.."
. tools/bench/lib.sh
build_if_needed
in_netns "$(realpath "$0")" "$@"
PORT=19300
SERVER_OPTS=${JAVA_SERVER_OPTS:-}
start_server $PORT --rtc-reveal-cidrs 10.213.0.0/24 --max-lobbies 1024 --max-stand-ins 1024 --rtc-connect-timeout 60000
trap stop_server EXIT
for lobbies in 1 "${LOBBIES:-100}"; do
  java -Xmx1g -jar tools/target/meshgate-tools.jar stand-in-load --url "ws://127.0.0.1:$PORT/" --server-pid $SPID \
    --lobbies "$lobbies" --hz 30 --seconds "${DURATION:-20}" --label "stand-in-${lobbies}x4" "$@"
done
