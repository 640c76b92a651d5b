#!/usr/bin/env bash
# Fuzzes the web console's forms and pages (scripts/console-fuzz.py) against a fresh `reservoir serve --demo`
# on a free loopback port, signed in with the demo's operator token (every page and form an operator sees).
# Fails on any 5xx, any answer that is neither HTML nor a redirect nor a download, a POST with a wrong csrf
# that goes through, or a server that dies. Prints the seed; the same seed on a fresh server repeats the run.
#
#   scripts/console-fuzz.sh                             # 60 s of cases after the crawl
#   CONSOLE_FUZZ_SECONDS=600 scripts/console-fuzz.sh    # the ten-minute run
#   CONSOLE_FUZZ_SEED=42 scripts/console-fuzz.sh        # repeat a run
#   RESERVOIR_BIN=path/to/reservoir scripts/console-fuzz.sh
#
# Against a server already running: scripts/console-fuzz.py --url URL --token TOKEN [--seconds N] [--seed N].
# Needs python3 (3.9+) and curl.
{
set -euo pipefail
cd "$(dirname "$0")/.."

RESERVOIR_BIN="$(realpath -m "${RESERVOIR_BIN:-.build/debug/reservoir}")"
[ -x "$RESERVOIR_BIN" ] || { echo "console-fuzz: no server binary at $RESERVOIR_BIN (swift build first)" >&2; exit 2; }

source scripts/lib/demo-server.sh
demo_server_start console-fuzz

status=0
python3 scripts/console-fuzz.py --url "$DEMO_BASE" --token "$DEMO_TOKEN" --seconds "${CONSOLE_FUZZ_SECONDS:-60}" \
    ${CONSOLE_FUZZ_SEED:+--seed "$CONSOLE_FUZZ_SEED"} || status=$?
if ! demo_server_alive; then
    echo "console-fuzz: FAIL: the server died or stopped answering; its log ends:" >&2
    tail -n 30 "$DEMO_WORK/server.log" >&2
    status=1
elif [ "$status" != 0 ]; then
    echo "console-fuzz: the server's log ends:" >&2
    tail -n 30 "$DEMO_WORK/server.log" >&2
fi
exit "$status"
}
