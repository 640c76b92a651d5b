#!/usr/bin/env bash
# Runs every test of Reservoir on a fresh machine: installs what the tests need, builds, tests.
# The public data (../shared/data) is read in place; with CI set, tests that need it fail if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export RESERVOIR_SHARED="${RESERVOIR_SHARED:-$(cd .. && pwd)/shared}"

swift build --build-tests
swift test --skip-build
