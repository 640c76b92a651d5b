#!/usr/bin/env bash
# Through Reservoir: submit-to-running latency and submission throughput of jobs sent over Reservoir's HTTP
# API to the Slurm dev cluster (examples/hybrid-slurm.yaml, pool west-batch), next to
# scripts/slurm-bench-sbatch.sh on the same machine (docs/SLURM.md).
#   scripts/slurm-dev-cluster.sh start && swift build -c release
#   scripts/slurm-bench-reservoir.sh [JOBS=100] [LATENCY_SAMPLES=10]
# Latency: HTTP POST /v1/jobs → the job reported `running` by Reservoir (admission, commit, Slurm submit,
# Slurm start, event back). Throughput: acknowledged submissions per second (16 at a time) and the time
# until all of them ran on Slurm.
set -euo pipefail
N=${1:-100} M=${2:-10}
BIN=${RESERVOIR_BIN:-.build/release/reservoir}
DATA=$(mktemp -d) PORT=${PORT:-18177} TOKEN=bench-operator
RESERVOIR_BOOTSTRAP_TOKEN=$TOKEN "$BIN" serve --config examples/hybrid-slurm.yaml --data-dir "$DATA" --port "$PORT" \
    --log-level warning >"$DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
python3 - "$PORT" "$TOKEN" "$N" "$M" <<'PY'
import json, statistics, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, op, n, m = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
base = f"http://127.0.0.1:{port}"
def call(method, path, token, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")
for _ in range(200):
    try: call("GET", "/healthz", op); break
    except Exception: time.sleep(0.1)
call("POST", "/v1/tenants", op, {"id": "bench", "name": "Bench"})
call("PUT", "/v1/quotas", op, {"tenant": "bench", "pool": "west-batch", "guaranteed": 8, "limit": 8})
call("POST", "/v1/users", op, {"id": "bencher", "tenant": "bench", "roles": ["member"]})
tok = call("POST", "/v1/tokens", op, {"user": "bencher"})["token"]
time.sleep(2)  # provisioning: account and limits in Slurm
job = lambda name, runtime: {"name": name, "pool": "west-batch", "runtimeSeconds": runtime, "request": {"gpus": 1, "cpuMilli": 500, "memoryMiB": 500}}
def wait(id, states, timeout=120):
    t = time.time()
    while time.time() - t < timeout:
        s = call("GET", f"/v1/jobs/{id}", tok)["state"]
        if s in states: return s
        time.sleep(0.02)
lat = []
for i in range(m):
    t0 = time.time()
    id = call("POST", "/v1/jobs", tok, job(f"lat{i}", 2))["id"]
    wait(id, {"running", "succeeded"})
    lat.append(time.time() - t0)
    wait(id, {"succeeded"})
print("reservoir submit->running latency (s):", " ".join(f"{x:.2f}" for x in lat))
print(f"  median {statistics.median(lat):.3f} s, max {max(lat):.3f} s")
t0 = time.time()
with ThreadPoolExecutor(16) as pool:
    ids = list(pool.map(lambda i: call("POST", "/v1/jobs", tok, job(f"tp{i}", 1))["id"], range(n)))
acked = time.time() - t0
for id in ids: wait(id, {"succeeded", "failed"}, timeout=600)
done = time.time() - t0
print(f"reservoir throughput: {n} submissions acknowledged in {acked:.2f} s = {n / acked:.1f}/s; all {n} ran on Slurm and finished in {done:.1f} s")
PY
