#!/usr/bin/env bash
# The whole test suite, from a fresh checkout: installs what the tests need, then builds and tests every module.
set -euo pipefail
cd "$(dirname "$0")/.."

# Everything the suite needs beyond a JDK 17 and Maven is installed here, so a fresh machine passes as this one does.
# (Nothing yet: the signaling tests need only the JVM.)

exec mvn -B -ntp verify "$@"
