#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis against the server's own OpenAPI document, with every check.
#
# Starts its own `reservoir serve --demo` on a free loopback port with a fresh data directory and an
# operator token, runs schemathesis for FUZZ_SECONDS (default 120), then stops the server.
# Fails when any response is a 5xx (check not_a_server_error) or the server is no longer alive at the
# end. Other check failures are counted and listed but do not fail the run (FUZZ_STRICT=1 fails on
# them too): against the typed contract, what remains is mostly "schema-valid request rejected" (ST202),
# rules that span fields or depend on state (a series window, an operator naming a tenant, a key reused),
# which a JSON schema cannot express; each new kind found is read and either fixed or documented.
#
#   FUZZ_SECONDS=600 scripts/fuzz.sh            # the ten-minute run
#   RESERVOIR_BIN=path/to/reservoir scripts/fuzz.sh
#   FUZZ_LOG=/tmp/fuzz.log scripts/fuzz.sh      # keep schemathesis's whole report (every failing case)
#
# Needs python3 (3.9+) and curl; schemathesis (pinned) is installed from PyPI when missing.
# The whole script is one block, so bash reads it all before running: editing it mid-run is safe.
{
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-120}"
FUZZ_WORKERS="${FUZZ_WORKERS:-2}"
FUZZ_STRICT="${FUZZ_STRICT:-0}"
RESERVOIR_BIN="$(realpath -m "${RESERVOIR_BIN:-.build/debug/reservoir}")"
SCHEMATHESIS_VERSION=4.32.5

[ -x "$RESERVOIR_BIN" ] || { echo "fuzz: no server binary at $RESERVOIR_BIN (swift build first)" >&2; exit 2; }

# schemathesis: the pinned version on PATH, else a virtual environment in .build, else (no venv
# module, as on a bare Debian python3) a plain `pip install --target`.
pinned() { "$@" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; }
venv="$PWD/.build/fuzz-venv"
target="$PWD/.build/fuzz-pylib"
if pinned schemathesis; then
    st=(schemathesis)
elif pinned "$venv/bin/schemathesis"; then
    st=("$venv/bin/schemathesis")
elif pinned env PYTHONPATH="$target" python3 -m schemathesis.cli; then
    st=(env PYTHONPATH="$target" python3 -m schemathesis.cli)
else
    echo "fuzz: installing schemathesis $SCHEMATHESIS_VERSION from PyPI"
    if python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"; then
        st=("$venv/bin/schemathesis")
    else
        rm -rf "$venv"
        python3 -m pip install --quiet --disable-pip-version-check --target "$target" "schemathesis==$SCHEMATHESIS_VERSION"
        st=(env PYTHONPATH="$target" python3 -m schemathesis.cli)
    fi
fi

source scripts/lib/demo-server.sh
demo_server_start fuzz
work="$DEMO_WORK" token="$DEMO_TOKEN" base="$DEMO_BASE"

echo "fuzz: schemathesis $SCHEMATHESIS_VERSION, all checks, ${FUZZ_SECONDS}s against $base"
set +e
# From the temporary directory, so schemathesis's cache (.schemathesis/) stays out of the tree.
(cd "$work" && "${st[@]}" run "$base/openapi.json" --checks all --max-time "$FUZZ_SECONDS" --workers "$FUZZ_WORKERS" \
    --header "Authorization: Bearer $token" --request-timeout 30 --continue-on-failure \
    --suppress-health-check all --no-color ${FUZZ_EXCLUDE:+--exclude-path-regex "$FUZZ_EXCLUDE"}) >"$work/fuzz.log" 2>&1
status=$?
set -e
[ -n "${FUZZ_LOG:-}" ] && cp "$work/fuzz.log" "$FUZZ_LOG"

# The summary: test cases run, and failures by check (ST101 is "Server error", a 5xx).
sed -n '/^Failures:/,/^$/p; /^Errors:/,/^$/p; /^Test cases:/,/^$/p' "$work/fuzz.log"
cases="$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$work/fuzz.log" | tail -n 1)"
echo "fuzz: ${cases:-0} test cases in ${FUZZ_SECONDS}s; schemathesis exit $status"

failed=0
if ! demo_server_alive; then
    echo "fuzz: FAIL: the server died or stopped answering; its log ends:" >&2
    tail -n 30 "$work/server.log" >&2
    failed=1
fi
if grep -q 'ST101\|Server error\|Network Error\|Connection refused' "$work/fuzz.log"; then
    echo "fuzz: FAIL: 5xx responses or a broken connection; the cases:" >&2
    grep -B2 -A14 'ST101\|Server error\|Network Error' "$work/fuzz.log" | head -n 120 >&2
    failed=1
fi
if [ "$FUZZ_STRICT" = 1 ] && [ "$status" != 0 ]; then failed=1; fi
if [ -z "$cases" ]; then
    echo "fuzz: FAIL: schemathesis did not run (exit $status)" >&2
    failed=1
fi
[ "$failed" = 0 ] && echo "fuzz: OK: no 5xx, server alive"
exit "$failed"
}
