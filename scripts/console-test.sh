#!/usr/bin/env bash
# Tests the web console in a real browser (issue 17): headless Chromium driven through selenium by
# Tests/Browser/console_test.py, against a `reservoir serve --demo` of its own.
#
# Installs what is missing: Debian's chromium and chromium-driver (apt-get; root), Python's selenium
# (PyPI, into a virtual environment under .build, or `pip install --target` where python3 has no venv
# module). Builds nothing: it runs .build/debug/reservoir, or RESERVOIR_BIN.
# Starts the server on a free loopback port with a fresh data directory and an operator token, reads the
# demo users' tokens from what it prints, runs the browser test, stops the server. Exits non-zero on any
# failed check. Screenshots (one PNG per page per size, 1366×900 and 390×844) go to SCREENSHOTS
# (default .build/console-screenshots); the server's log, when a check failed, to stderr.
#
#   scripts/console-test.sh
#   SCREENSHOTS=/tmp/shots RESERVOIR_BIN=.build/release/reservoir scripts/console-test.sh
#   CONSOLE_ONLY=sign-in,jobs scripts/console-test.sh     # only the checks whose name starts so
#
# The whole script is one block, so bash reads it all before running: editing it mid-run is safe.
{
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/apt-install.sh

RESERVOIR_BIN="$(realpath -m "${RESERVOIR_BIN:-.build/debug/reservoir}")"
SCREENSHOTS="$(realpath -m "${SCREENSHOTS:-.build/console-screenshots}")"
SELENIUM_REQUIREMENT='selenium>=4.11,<5'

die() { echo "console-test: $*" >&2; exit 2; }
[ -x "$RESERVOIR_BIN" ] || die "no server binary at $RESERVOIR_BIN (swift build first)"

# Chromium and its driver, from Debian: installed when either is missing (never skipped, in CI or not).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if ((${#missing[@]})); then
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]} and not root (apt-get install ${missing[*]})"
    echo "console-test: installing ${missing[*]} (apt-get)"
    apt_install_quietly "${missing[@]}"
fi

# selenium: the python3 on PATH when it has it, else a virtual environment in .build, else (no venv
# module, as on a bare Debian python3, whose system site is externally managed) `pip install --target`.
venv="$PWD/.build/console-venv"
target="$PWD/.build/console-pylib"
if python3 -c 'import selenium' 2>/dev/null; then
    py=(python3)
elif "$venv/bin/python" -c 'import selenium' 2>/dev/null; then
    py=("$venv/bin/python")
elif PYTHONPATH="$target" python3 -c 'import selenium' 2>/dev/null; then
    py=(env PYTHONPATH="$target" python3)
else
    echo "console-test: installing $SELENIUM_REQUIREMENT from PyPI"
    if python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install --quiet --disable-pip-version-check "$SELENIUM_REQUIREMENT"; then
        py=("$venv/bin/python")
    else
        rm -rf "$venv"
        python3 -m pip install --quiet --disable-pip-version-check --target "$target" "$SELENIUM_REQUIREMENT"
        py=(env PYTHONPATH="$target" python3)
    fi
fi

source scripts/lib/demo-server.sh
demo_server_start console-test
work="$DEMO_WORK" token="$DEMO_TOKEN" base="$DEMO_BASE"

# The logins: the operator's (ours), then one line per demo user ("  USER  ROLES  TOKEN"), as JSON.
awk -v op="$token" '
    BEGIN { printf "{\"admin\": {\"roles\": \"operator\", \"token\": \"%s\"}", op }
    /^Demo users/ { users = 1; next }
    users && NF == 0 { users = 0 }
    users && NF == 3 { printf ", \"%s\": {\"roles\": \"%s\", \"token\": \"%s\"}", $1, $2, $3 }
    END { print "}" }' "$work/server.out" >"$work/logins.json"
grep -q 'nlp-member' "$work/logins.json" || { cat "$work/server.out" >&2; die "no demo tokens in the server's announcement"; }

mkdir -p "$SCREENSHOTS"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in Tests/Browser
set +e
CONSOLE_URL="$base" CONSOLE_LOGINS="$work/logins.json" CONSOLE_SERVER_LOG="$work/server.log" SCREENSHOTS="$SCREENSHOTS" \
    "${py[@]}" Tests/Browser/console_test.py
status=$?
set -e
if [ "$status" != 0 ]; then
    echo "console-test: FAIL (exit $status); the server's log ends:" >&2
    tail -n 20 "$work/server.log" >&2
fi
echo "console-test: screenshots in $SCREENSHOTS"
exit "$status"
}
