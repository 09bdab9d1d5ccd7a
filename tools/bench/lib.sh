# Shared by the bench scripts (sourced, from the repository root): build the jars if needed, start and stop the
# server jar, re-run a script inside a private network namespace.

build_if_needed() {
  [ -f server/target/meshgate-server.jar ] && [ -f tools/target/meshgate-tools.jar ] || mvn -B -q -ntp package -DskipTests
}

# Re-runs the calling script ($1, with its arguments) inside tools/netns-run, unless it already is inside one.
in_netns() {
  if [ "${MESHGATE_IN_NETNS:-}" != 1 ]; then
    exec tools/netns-run "$@"
  fi
}

# start_server PORT [server flags...]: the server on 127.0.0.1:PORT, started by its launcher (server/meshgate) with its
# JVM settings, or with $SERVER_OPTS instead when set; its admin listener on ADMIN_PORT (PORT + 1) with a fresh
# MESHGATE_ADMIN_TOKEN, which the tools read from the environment; sets SPID (java's: the launcher execs it) and
# returns once it listens.
start_server() {
  local port=$1
  shift
  ADMIN_PORT=$(( port + 1 ))
  MESHGATE_ADMIN_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  export MESHGATE_ADMIN_TOKEN
  SERVER_LOG=$(mktemp)
  # Every generated client comes from 127.0.0.1, so per-address limits are off here (later flags still win).
  JAVA_OPTS=${SERVER_OPTS:-} server/meshgate --host 127.0.0.1 --port "$port" \
    --max-peers-per-address 0 --max-lobbies-per-address 0 --rtc-max-pending-per-address 100000 \
    --admin-port "$ADMIN_PORT" --drain-timeout 0 \
    "$@" > "$SERVER_LOG" 2>&1 &
  SPID=$!
  for _ in $(seq 100); do grep -q "listening" "$SERVER_LOG" && return 0; sleep 0.1; done
  echo "server did not start:" >&2
  cat "$SERVER_LOG" >&2
  exit 1
}

stop_server() {
  kill "$SPID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
}
