#!/usr/bin/env bash
# Times `reservoir plan capacity` against a fresh `reservoir serve --demo` (4 weeks of seeded hourly
# history, 9 GPU models): the figure in docs/BENCHMARKS.md ("Capacity plan").
# usage: scripts/bench-plan.sh            (debug build; swift build first)
#        RESERVOIR_BIN=.build/release/reservoir scripts/bench-plan.sh
set -euo pipefail
RESERVOIR_BIN="$(realpath -m "${RESERVOIR_BIN:-.build/debug/reservoir}")"
[ -x "$RESERVOIR_BIN" ] || { echo "bench-plan: no binary at $RESERVOIR_BIN (swift build first)" >&2; exit 2; }
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export RESERVOIR_SERVER="http://127.0.0.1:$port" RESERVOIR_TOKEN="rsv_bench_$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
RESERVOIR_BOOTSTRAP_TOKEN="$RESERVOIR_TOKEN" "$RESERVOIR_BIN" serve --demo --host 127.0.0.1 --port "$port" \
    --data-dir "$work/data" --log-level warning >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fsS "$RESERVOIR_SERVER/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
start=$(date +%s.%N)
"$RESERVOIR_BIN" plan capacity >"$work/plan.out"
end=$(date +%s.%N)
head -n 5 "$work/plan.out"
echo "bench-plan: reservoir plan capacity answered in $(python3 -c "print(f'{$end - $start:.1f}')") s ($(basename "$(dirname "$RESERVOIR_BIN")") build)"
