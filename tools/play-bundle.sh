#!/usr/bin/env bash
# Makes the directory the server's --play-dir serves at /play/: the Godot 4.6 web runtime (tools/godot4-runtime.sh)
# and godot-demo packed into demo.pck. Prints the directory.
#   java -jar server/target/meshgate-server.jar --play-dir "$(tools/play-bundle.sh)"
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f tools/target/meshgate-tools.jar ] || mvn -B -q -ntp package -DskipTests
RUNTIME=$(tools/godot4-runtime.sh)
TARGET=tools/.cache/play
mkdir -p "$TARGET"
cp "$RUNTIME"/index.js "$RUNTIME"/index.wasm "$RUNTIME"/index.audio.worklet.js \
   "$RUNTIME"/index.audio.position.worklet.js "$TARGET/"
java -jar tools/target/meshgate-tools.jar pack --dir godot-demo --out "$TARGET/demo.pck" > /dev/null
echo "$PWD/$TARGET"
