#!/usr/bin/env bash
# Crash loop: kill -9 a server under concurrent submissions and cancels, restart it on the same data
# directory, and check with an independent reader of the database (python3's sqlite3, not GRDB) that
# nothing acknowledged was lost and nothing was booked twice. Each round:
#   1. starts `reservoir serve --data-dir D` (a pool of 4 nodes × 8 GPUs; the simulator runs the jobs);
#   2. SUBMITTERS clients POST /v1/jobs with an Idempotency-Key (the job's name is its key) and first
#      retry every key left unacknowledged by the previous round; CANCELLERS clients cancel acknowledged
#      jobs; a client records a submission or a cancel only after its 2xx;
#   3. after a random 0.5–3 s, SIGKILL; then the checker reads D/reservoir.sqlite:
#      - PRAGMA integrity_check is ok;
#      - every acknowledged job exists once, under the id it was acknowledged with, and each key named
#        exactly one job (a retried key never made a second one);
#      - every acknowledged cancel of a waiting job is `cancelled`; of a job on the engine, `cancelled`
#        or still marked pendingEngineCall (the reconciler finishes it after the restart);
#      - no device holds more than 1000 milli-GPU, and only admitted or running jobs hold allocations.
# After the last round a final start retries the keys still unacknowledged, and the store is checked again.
#   scripts/crash-loop.sh            # 10 rounds
#   scripts/crash-loop.sh 100        # the long run (docs/BENCHMARKS.md)
# Settings (environment): BIN (default .build/${CONFIG:-debug}/reservoir), SUBMITTERS (8), CANCELLERS (2),
# KILL_MIN / KILL_MAX (0.5 / 3 s after /readyz), SEED (random order of kills; default: the time), KEEP (1: keep
# the data directory and logs). Linux only.
{
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-${ROUNDS:-10}}
BIN=$(realpath -m "${BIN:-.build/${CONFIG:-debug}/reservoir}")
[ -x "$BIN" ] || { echo "crash-loop: no executable $BIN (swift build, or set BIN / CONFIG=release)" >&2; exit 2; }
WORK=$(mktemp -d)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/cluster.yaml" <<'YAML'
regions:
  - id: crash
    clusters:
      - id: crash-sim
        engine: simulated
        pools:
          - id: crash
            purpose: training
            sharing: exclusive
            nodes:
              - name: crash-a100
                count: 4
                model: A100-80GB
                gpus: 8
                cpu: 128
                memoryGiB: 1024
YAML
python3 - "$BIN" "$WORK" "$ROUNDS" "${SUBMITTERS:-8}" "${CANCELLERS:-2}" "${KILL_MIN:-0.5}" "${KILL_MAX:-3}" "${SEED:-}" <<'PY'
import atexit, json, os, random, signal, socket, sqlite3, subprocess, sys, threading, time, urllib.error, urllib.request

binary, work, rounds, submitters, cancellers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
kill_min, kill_max = float(sys.argv[6]), float(sys.argv[7])
seed = int(sys.argv[8]) if sys.argv[8] else int(time.time())
rng = random.Random(seed)
data, token = os.path.join(work, "data"), "crash-loop-operator"
database = os.path.join(data, "reservoir.sqlite")
journal = open(os.path.join(work, "acknowledged.jsonl"), "a")

lock = threading.Lock()
acked = {}          # key → job id, from a 2xx to the submission
unacked = set()     # keys sent without a 2xx (lost in a kill, or refused): retried in the next round
cancels = {}        # job id → state in the 2xx to its cancel ("cancelled", or a job still on the engine)
counts = {"submitted": 0, "retried": 0, "cancelled": 0, "refused": 0}
failures = []      # answers that are failures by themselves (5xx, a key answered with two ids)

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port

def call(base, method, path, body=None, key=None, timeout=10):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Authorization", f"Bearer {token}")
    if body is not None: request.add_header("Content-Type", "application/json")
    if key: request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r: return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")[:300]

def start(round_):
    port = free_port()
    log = open(os.path.join(work, f"serve-{round_}.log"), "w")
    env = dict(os.environ, RESERVOIR_BOOTSTRAP_TOKEN=token)
    proc = subprocess.Popen([binary, "serve", "--data-dir", data, "--port", str(port), "--log-level", "warning",
                             "--config", os.path.join(work, "cluster.yaml")], stdout=log, stderr=log, env=env)
    atexit.register(lambda: proc.poll() is None and (proc.kill(), proc.wait()))  # no server outlives a failed check
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None: sys.exit(f"round {round_}: the server exited ({proc.returncode}) on start; see serve-{round_}.log:\n" + open(log.name).read()[-2000:])
        try:
            urllib.request.urlopen(base + "/readyz", timeout=2); return proc, base
        except Exception: time.sleep(0.05)
    proc.kill(); sys.exit(f"round {round_}: the server was not ready after 120 s")

def submit(base, key, again):
    """One submission of `key`; its body follows from the key, so a retry sends the same request."""
    shape = random.Random(key)
    body = {"name": key, "tenant": "crash", "pool": "crash", "runtimeSeconds": shape.choice([30, 120, 600, 3600]),
            "request": {"gpus": shape.choice([1, 1, 2, 4]), "cpuMilli": 1000, "memoryMiB": 1024}}
    with lock: unacked.add(key)
    try:
        status, reply = call(base, "POST", "/v1/jobs", body, key=key)
    except Exception:
        return  # no answer: the key stays unacknowledged
    if 200 <= status < 300:
        with lock:
            unacked.discard(key)
            if key in acked and acked[key] != reply["id"]: failures.append(f"key {key} acknowledged as {acked[key]} and then as {reply['id']}")
            acked[key] = reply["id"]
            counts["retried" if again else "submitted"] += 1
            journal.write(json.dumps({"key": key, "id": reply["id"]}) + "\n")
    else:
        with lock: counts["refused"] += 1
        if status >= 500 or counts["refused"] <= 5: print(f"  submission {key}: {status} {reply}", flush=True)
        if status >= 500: failures.append(f"submission {key}: {status} {reply}")

def submitter(base, stop, name, retry):
    n = 0
    while not stop.is_set():
        if retry:
            submit(base, retry.pop(), True)
        else:
            submit(base, f"{name}-{n}", False); n += 1

def canceller(base, stop):
    while not stop.is_set():
        time.sleep(rng.uniform(0.01, 0.1))
        with lock:
            candidates = [i for i in acked.values() if i not in cancels]
        if not candidates: continue
        job = rng.choice(candidates[-200:])
        try:
            status, reply = call(base, "POST", f"/v1/jobs/{job}/cancel")
        except Exception:
            continue
        if 200 <= status < 300:
            with lock:
                cancels[job] = reply["state"] if reply.get("state") == "cancelled" else "engine"
                counts["cancelled"] += 1
                journal.write(json.dumps({"cancel": job, "state": reply.get("state")}) + "\n")
        elif status >= 500:
            with lock: failures.append(f"cancel {job}: {status} {reply}")

def check(label):
    db = sqlite3.connect(database, timeout=30)
    problems = []
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]: problems.append(f"integrity_check: {integrity[:5]}")
    rows = {}
    for id_, name, state, body in db.execute("SELECT id, json_extract(body, '$.name'), state, body FROM job WHERE tenant = 'crash'"):
        rows.setdefault(name, []).append((id_, state, body))
    twice = [k for k, v in rows.items() if len(v) > 1]
    if twice: problems.append(f"{len(twice)} keys made more than one job, e.g. {twice[:3]}")
    with lock: snapshot, cancelled = dict(acked), dict(cancels)
    lost = [(k, i) for k, i in snapshot.items() if not any(r[0] == i for r in rows.get(k, []))]
    if lost: problems.append(f"{len(lost)} acknowledged jobs missing, e.g. {lost[:3]}")
    by_id = {r[0]: r for v in rows.values() for r in v}
    for job, answered in cancelled.items():
        id_, state, body = by_id.get(job, (job, None, "{}"))
        if state == "cancelled": continue
        if answered == "engine" and json.loads(body).get("pendingEngineCall") is not None: continue
        problems.append(f"acknowledged cancel of {job} ({answered}) lost: now {state}")
    over = db.execute("SELECT device, SUM(milli) FROM allocation GROUP BY device HAVING SUM(milli) > 1000").fetchall()
    if over: problems.append(f"devices booked past 1000 milli-GPU: {over[:5]}")
    stray = db.execute("SELECT DISTINCT a.job, j.state FROM allocation a JOIN job j ON j.id = a.job WHERE j.state NOT IN ('admitted', 'running')").fetchall()
    if stray: problems.append(f"allocations of jobs that hold no devices: {stray[:5]}")
    states = dict(db.execute("SELECT state, COUNT(*) FROM job GROUP BY state").fetchall())
    db.close()
    with lock: problems += failures
    print(f"{label}: {len(snapshot)} acknowledged jobs, {len(cancelled)} acknowledged cancels, {len(unacked)} unacknowledged keys; "
          f"store {sum(states.values())} jobs {states}", flush=True)
    if problems: sys.exit(f"FAIL after {label}:\n  " + "\n  ".join(problems))

print(f"crash loop: {rounds} rounds, {submitters} submitters + {cancellers} cancellers, kill -9 after {kill_min}–{kill_max} s (seed {seed}); {binary}")
began = time.time()
for round_ in range(1, rounds + 2):
    final = round_ == rounds + 1
    proc, base = start(round_)
    if round_ == 1:
        call(base, "POST", "/v1/tenants", {"id": "crash"})
        status, reply = call(base, "PUT", "/v1/quotas", {"tenant": "crash", "pool": "crash", "guaranteed": 0, "limit": 100000})
        if status >= 300: sys.exit(f"quota: {status} {reply}")
    with lock: retry = sorted(unacked)
    stop = threading.Event()
    if final:
        # The keys still unacknowledged get their answer on a server that stays up.
        for key in retry: submit(base, key, True)
        proc.send_signal(signal.SIGTERM)
        try: proc.wait(30)
        except subprocess.TimeoutExpired: proc.kill(); proc.wait()
        check(f"final start ({len(retry)} keys retried), stopped cleanly")
        break
    shares = [retry[i::submitters] for i in range(submitters)]
    threads = [threading.Thread(target=submitter, args=(base, stop, f"r{round_}-s{i}", shares[i])) for i in range(submitters)]
    threads += [threading.Thread(target=canceller, args=(base, stop)) for _ in range(cancellers)]
    for t in threads: t.start()
    time.sleep(rng.uniform(kill_min, kill_max))
    stop.set()  # no new requests; those in flight meet the kill
    proc.send_signal(signal.SIGKILL); proc.wait()
    for t in threads: t.join()
    check(f"round {round_}")
journal.close()
print(f"ok: {rounds} kill -9 rounds in {time.time() - began:.0f} s; {counts['submitted']} submissions and {counts['retried']} retried keys "
      f"acknowledged, {counts['cancelled']} cancels; every one survived, no device booked twice")
PY
}
