#!/usr/bin/env bash
# Idle soak: an idle `reservoir serve` must run about one scheduling cycle per second (its cycle
# interval) and keep its memory flat. Starts a server, samples /metrics (the cycle counter
# reservoir_scheduling_cycle_seconds_count), RSS (VmRSS) and CPU time (utime+stime) every INTERVAL
# seconds for DURATION seconds, prints each sample and a summary, and fails when a bound is broken.
#   scripts/soak-idle.sh                     # 600 s, debug binary, no demo
#   DURATION=60 DEMO=1 scripts/soak-idle.sh  # with the demo's seeded data and job stream (not idle)
# Settings (environment): BIN (default .build/${CONFIG:-debug}/reservoir), DURATION (600), INTERVAL (10),
# DEMO (0|1), PORT (18178), MAX_CYCLES_PER_S (2: one a second plus wake-ups), MAX_RSS_GROWTH_MIB (64,
# end over the first sample after WARMUP=30 s), MAX_CPU_PERCENT (10, mean over the run; checked only without DEMO).
# Linux only (/proc).
set -euo pipefail
BIN=${BIN:-.build/${CONFIG:-debug}/reservoir}
DURATION=${DURATION:-600} INTERVAL=${INTERVAL:-10} WARMUP=${WARMUP:-30} DEMO=${DEMO:-0} PORT=${PORT:-18178}
MAX_CYCLES_PER_S=${MAX_CYCLES_PER_S:-2} MAX_RSS_GROWTH_MIB=${MAX_RSS_GROWTH_MIB:-64} MAX_CPU_PERCENT=${MAX_CPU_PERCENT:-10}
[ -x "$BIN" ] || { echo "no executable $BIN (swift build, or set BIN / CONFIG=release)" >&2; exit 2; }
DATA=$(mktemp -d) TOKEN=soak-operator
ARGS=(serve --data-dir "$DATA" --port "$PORT" --log-level warning)
[ "$DEMO" = 1 ] && ARGS+=(--demo)
RESERVOIR_BOOTSTRAP_TOKEN=$TOKEN "$BIN" "${ARGS[@]}" >"$DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
PYTHONPATH="$(cd "$(dirname "$0")" && pwd)/lib" python3 - "$SERVER" "$PORT" "$DURATION" "$INTERVAL" "$WARMUP" "$DEMO" "$MAX_CYCLES_PER_S" "$MAX_RSS_GROWTH_MIB" "$MAX_CPU_PERCENT" <<'PY'
import sys, time, urllib.request
from functools import partial
import procstat
pid, port = int(sys.argv[1]), sys.argv[2]
duration, interval, warmup = float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
demo, max_rate, max_growth, max_cpu = sys.argv[6] == "1", float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
base = f"http://127.0.0.1:{port}"

def cycles():
    text = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
    return sum(float(l.split()[-1]) for l in text.splitlines() if l.startswith("reservoir_scheduling_cycle_seconds_count"))

rss_mib, cpu_seconds = partial(procstat.rss_mib, pid), partial(procstat.cpu_seconds, pid)

for _ in range(600):
    try: urllib.request.urlopen(base + "/readyz", timeout=2); break
    except Exception: time.sleep(0.1)
else: sys.exit("server did not start")
time.sleep(warmup)
t0, c0, r0, cpu0 = time.time(), cycles(), rss_mib(), cpu_seconds()
print(f"{'t/s':>6} {'cycles/s':>9} {'CPU %':>6} {'RSS MiB':>8}")
worst, prev = 0.0, (t0, c0, cpu0)
while time.time() - t0 < duration:
    time.sleep(min(interval, max(0.1, duration - (time.time() - t0))))
    t, c, r, cpu = time.time(), cycles(), rss_mib(), cpu_seconds()
    rate = (c - prev[1]) / (t - prev[0])
    worst = max(worst, rate)
    print(f"{t - t0:6.0f} {rate:9.2f} {100 * (cpu - prev[2]) / (t - prev[0]):6.1f} {r:8.1f}", flush=True)
    prev = (t, c, cpu)
t, c, r, cpu = time.time(), cycles(), rss_mib(), cpu_seconds()
rate, cpu_pct, growth = (c - c0) / (t - t0), 100 * (cpu - cpu0) / (t - t0), r - r0
print(f"summary: {t - t0:.0f} s{' (demo)' if demo else ''}: {c - c0:.0f} cycles = {rate:.2f}/s (worst interval {worst:.2f}/s), "
      f"CPU {cpu_pct:.1f} % of one core, RSS {r0:.1f} → {r:.1f} MiB ({growth:+.1f})")
failures = []
if rate > max_rate: failures.append(f"cycles/s {rate:.2f} > {max_rate}")
if growth > max_growth: failures.append(f"RSS grew {growth:.1f} MiB > {max_growth}")
if not demo and cpu_pct > max_cpu: failures.append(f"CPU {cpu_pct:.1f} % > {max_cpu} %")
if failures: sys.exit("FAIL: " + "; ".join(failures))
print("ok")
PY
