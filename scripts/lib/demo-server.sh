# Sourced by the scripts that test a running server from outside (fuzz.sh, console-fuzz.sh, console-test.sh): starts
# `reservoir serve --demo` on a free loopback port with a fresh data directory and a random operator
# token, waits until it is ready, and stops it (and removes the directory) when the script exits.
#
# usage: demo_server_start NAME     NAME prefixes messages; needs RESERVOIR_BIN (the binary), python3, curl.
#   sets DEMO_BASE (http://127.0.0.1:PORT), DEMO_TOKEN, DEMO_PID, DEMO_WORK (a temporary directory, with
#   the server's announcement — URL and the demo users' tokens — in DEMO_WORK/server.out and its JSON log,
#   where a 5xx is an error line, in DEMO_WORK/server.log); installs an EXIT trap (the caller sets none).
#        demo_server_alive           true while the process lives and answers /readyz within 10 s.
demo_server_start() {
    local name=$1 port
    DEMO_WORK="$(mktemp -d)"
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
    DEMO_TOKEN="rsv_${name//-/_}_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    DEMO_BASE="http://127.0.0.1:$port"
    RESERVOIR_BOOTSTRAP_TOKEN="$DEMO_TOKEN" "$RESERVOIR_BIN" serve --demo --host 127.0.0.1 --port "$port" \
        --data-dir "$DEMO_WORK/data" --log-level warning >"$DEMO_WORK/server.out" 2>"$DEMO_WORK/server.log" &
    DEMO_PID=$!
    trap demo_server_stop EXIT
    for _ in $(seq 1 120); do
        curl -fsS "$DEMO_BASE/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$DEMO_PID" 2>/dev/null || { echo "$name: the server did not start:" >&2; cat "$DEMO_WORK/server.log" >&2; exit 1; }
        sleep 0.5
    done
    echo "$name: the server is not ready after 60 s" >&2
    exit 1
}

demo_server_alive() {
    kill -0 "$DEMO_PID" 2>/dev/null && curl -fsS --max-time 10 "$DEMO_BASE/readyz" >/dev/null 2>&1
}

demo_server_stop() {
    kill "$DEMO_PID" 2>/dev/null || true
    # A graceful stop waits for requests in flight; never longer than 10 s.
    for _ in $(seq 1 20); do kill -0 "$DEMO_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$DEMO_PID" 2>/dev/null || true
    wait "$DEMO_PID" 2>/dev/null || true
    rm -rf "$DEMO_WORK"
}
