#!/usr/bin/env bash
# Mixed-load soak: a server under a steady stream of submissions, lists, cancels, explains and /metrics
# scrapes must keep its memory flat, answer every request, and leave no job queued while its pool has
# room. Starts `reservoir serve` on a pool of 16 nodes × 8 GPUs (the simulator runs the jobs: a job of
# 60–300 simulated seconds ends in 1–5 s at the default speed), then for DURATION seconds:
#   - submissions at RATE/s (1, 2 or 4 GPUs; about half the pool busy at the default rate),
#   - a list of the newest 100 jobs every second and of the queued ones every 5 s,
#   - an explain of a recent job every second, a cancel of a recent job every 2 s,
#   - a /metrics scrape every 5 s (as Prometheus would);
# prints per INTERVAL the requests answered, errors, RSS (VmRSS) and CPU, and at the end checks:
#   - RSS after WARMUP stays within ±RSS_TOLERANCE % of the first sample after it,
#   - zero errors (a 5xx, no answer, or a refusal other than 409 to a cancel of a job that just ended),
#   - the load stopped, within SETTLE seconds no job is still queued while its pool has the GPUs it asks for free.
#   scripts/soak-mixed.sh                           # 30 minutes, debug binary
#   DURATION=60 WARMUP=20 INTERVAL=10 scripts/soak-mixed.sh   # the short pass of scripts/test.sh
#   CONFIG=release scripts/soak-mixed.sh            # the figure in docs/BENCHMARKS.md
# Settings (environment): BIN (default .build/${CONFIG:-debug}/reservoir), DURATION (1800), WARMUP (300),
# INTERVAL (60), RATE (10 submissions/s), RSS_TOLERANCE (10 %), SETTLE (30 s). Linux only (/proc).
{
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath -m "${BIN:-.build/${CONFIG:-debug}/reservoir}")
[ -x "$BIN" ] || { echo "soak-mixed: no executable $BIN (swift build, or set BIN / CONFIG=release)" >&2; exit 2; }
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >"$WORK/cluster.yaml" <<'YAML'
regions:
  - id: soak
    clusters:
      - id: soak-sim
        engine: simulated
        pools:
          - id: soak
            purpose: training
            sharing: exclusive
            nodes:
              - name: soak-a100
                count: 16
                model: A100-80GB
                gpus: 8
                cpu: 128
                memoryGiB: 1024
YAML
RESERVOIR_BOOTSTRAP_TOKEN=soak-operator "$BIN" serve --data-dir "$WORK/data" --port "$PORT" --log-level warning \
    --config "$WORK/cluster.yaml" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
PYTHONPATH=scripts/lib python3 - "$SERVER" "$PORT" "${DURATION:-1800}" "${WARMUP:-300}" "${INTERVAL:-60}" "${RATE:-10}" "${RSS_TOLERANCE:-10}" "${SETTLE:-30}" "$WORK/serve.log" <<'PY'
import json, os, random, sys, threading, time, urllib.error, urllib.request
from functools import partial
import procstat
pid, port = int(sys.argv[1]), sys.argv[2]
duration, warmup, interval, rate, tolerance, settle = (float(a) for a in sys.argv[3:9])
log = sys.argv[9]
base, token = f"http://127.0.0.1:{port}", "soak-operator"
rng = random.Random(18)

rss_mib, cpu_seconds = partial(procstat.rss_mib, pid), partial(procstat.cpu_seconds, pid)

lock = threading.Lock()
answered = {k: 0 for k in ("submit", "list", "cancel", "explain", "metrics", "setup")}
errors, recent, latencies = [], [], []

def call(kind, method, path, body=None, ok=(200, 201)):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None: request.add_header("Content-Type", "application/json")
    t0 = time.time()
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            status, data = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, data = e.code, e.read()
    except Exception as e:
        status, data = None, str(e).encode()
    with lock:
        if status in ok:
            answered[kind] += 1
            if kind == "submit": latencies.append(time.time() - t0)
        else:
            errors.append(f"{method} {path}: {status} {data[:200].decode(errors='replace')}")
    return status, data

for _ in range(1200):
    try: urllib.request.urlopen(base + "/readyz", timeout=2); break
    except Exception: time.sleep(0.1)
else: sys.exit("server did not start:\n" + open(log).read()[-2000:])
call("setup", "POST", "/v1/tenants", {"id": "soak"}, ok=(201,))
call("setup", "PUT", "/v1/quotas", {"tenant": "soak", "pool": "soak", "guaranteed": 0, "limit": 100000}, ok=(200, 201))
if errors: sys.exit("setup failed: " + "; ".join(errors))

stop = threading.Event()
def every(seconds, action):
    def loop():
        next_at = time.time()
        while not stop.is_set():
            action()
            next_at += seconds
            stop.wait(max(0, next_at - time.time()))
    thread = threading.Thread(target=loop); thread.start(); return thread

counter = iter(range(10**9))
def submit():
    n = next(counter)
    status, data = call("submit", "POST", "/v1/jobs", {"name": f"soak-{n}", "tenant": "soak", "pool": "soak",
        "runtimeSeconds": rng.choice([60, 120, 300]), "request": {"gpus": rng.choice([1, 1, 2, 4]), "cpuMilli": 1000, "memoryMiB": 1024}})
    if status == 201:
        with lock: recent.append(json.loads(data)["id"]); del recent[:-500]
def pick():
    with lock: return rng.choice(recent) if recent else None
def cancel():
    job = pick()
    if job: call("cancel", "POST", f"/v1/jobs/{job}/cancel", ok=(200, 409))  # 409: it ended meanwhile
def explain():
    job = pick()
    if job: call("explain", "GET", f"/v1/jobs/{job}/explain")

# One submitter per submission a second, each paced to one a second: the rate holds while a submission takes up to 1 s.
submitters = max(1, round(rate))
threads = [every(submitters / rate, submit) for _ in range(submitters)]
threads += [every(1, lambda: call("list", "GET", "/v1/jobs?limit=100")),
           every(5, lambda: call("list", "GET", "/v1/jobs?state=queued&limit=100")), every(1, explain), every(2, cancel),
           every(5, lambda: call("metrics", "GET", "/metrics"))]
t0, cpu0 = time.time(), cpu_seconds()
print(f"soak-mixed: {duration:.0f} s at {rate:g} submissions/s (+ lists, explains, cancels, scrapes), warm-up {warmup:.0f} s; RSS at start {rss_mib():.1f} MiB", flush=True)
print(f"{'t/s':>6} {'subs/s':>7} {'sub p99 ms':>10} {'lists':>6} {'cancels':>8} {'explains':>9} {'scrapes':>8} {'errors':>7} {'CPU %':>6} {'RSS MiB':>8}", flush=True)
samples, prev = [], (t0, dict(answered), cpu0)
while time.time() - t0 < duration:
    time.sleep(min(interval, max(0.1, duration - (time.time() - t0))))
    t, cpu, rss = time.time(), cpu_seconds(), rss_mib()
    with lock:
        now = dict(answered); lat = sorted(latencies); latencies.clear(); n_errors = len(errors)
    d = {k: now[k] - prev[1][k] for k in now}
    p99 = 1000 * lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1) + 0.5))] if lat else 0
    print(f"{t - t0:6.0f} {d['submit'] / (t - prev[0]):7.1f} {p99:10.1f} {d['list']:6d} {d['cancel']:8d} {d['explain']:9d} {d['metrics']:8d} "
          f"{n_errors:7d} {100 * (cpu - prev[2]) / (t - prev[0]):6.1f} {rss:8.1f}", flush=True)
    samples.append((t - t0, rss))
    prev = (t, now, cpu)
stop.set()
for thread in threads: thread.join()
elapsed, cpu_total = time.time() - t0, cpu_seconds() - cpu0

# The load stopped: every queued job must be admitted, or its pool must lack the GPUs it asks for.
stuck, waited = [], 0.0
while True:
    _, jobs = call("list", "GET", "/v1/jobs?state=queued&pool=soak&limit=1000")
    _, levels = call("list", "GET", "/v1/water-level?pool=soak")
    queued = json.loads(jobs) if jobs else []  # a list, newest first (X-Total-Count: all that match)
    free = sum(level["free"] for level in json.loads(levels)["levels"]) if levels else 0
    stuck = [j["id"] for j in queued if j["request"]["gpus"] <= free]
    if not stuck or waited >= settle: break
    time.sleep(1); waited += 1

after = [r for t, r in samples if t >= warmup] or [samples[-1][1]]
reference, low, high = after[0], min(after), max(after)
print(f"summary: {elapsed:.0f} s, {answered['submit']} submissions ({answered['submit'] / elapsed:.1f}/s), {answered['list']} lists, "
      f"{answered['cancel']} cancels, {answered['explain']} explains, {answered['metrics']} scrapes; {len(errors)} errors; "
      f"server CPU {100 * cpu_total / elapsed:.1f} % of a core; RSS after warm-up {reference:.1f} MiB, then {low:.1f}–{high:.1f} MiB "
      f"({100 * (low - reference) / reference:+.1f} %, {100 * (high - reference) / reference:+.1f} %); "
      f"{len(queued)} queued at the end, {free} GPUs free")
failures = []
if errors: failures.append(f"{len(errors)} errors, e.g. " + "; ".join(errors[:3]))
if high > reference * (1 + tolerance / 100) or low < reference * (1 - tolerance / 100):
    failures.append(f"RSS left ±{tolerance:g} % of {reference:.1f} MiB after warm-up ({low:.1f}–{high:.1f})")
if stuck: failures.append(f"{len(stuck)} jobs still queued {settle:.0f} s after the load while {free} GPUs are free, e.g. {stuck[:3]}")
if failures: sys.exit("FAIL: " + "; ".join(failures))
print("ok")
PY
}
