#!/usr/bin/env bash
# Plain-sbatch baseline for docs/SLURM.md: submit-to-running latency and submit throughput on the dev
# cluster, measured the same way as the engine bench (RESERVOIR_SLURM_BENCH=1 swift test --filter SlurmBench).
#   scripts/slurm-bench-sbatch.sh [JOBS=100] [LATENCY_SAMPLES=10]
set -euo pipefail
BASE=${RESERVOIR_SLURM_DIR:-/tmp/reservoir-slurm}
export SLURM_CONF=$BASE/etc/slurm.conf
unset SLURM_JWT
N=${1:-100} M=${2:-10}
now() { date +%s.%N; }

lat=()
for ((i = 0; i < M; i++)); do
    t0=$(now)
    id=$(sbatch -Q --parsable -A default-tenant --gres=gpu:1 -o /dev/null --wrap 'sleep 3')
    while [[ $(squeue -h -j "$id" -o %T) == PENDING ]]; do sleep 0.05; done
    lat+=("$(echo "$(now) - $t0" | bc)")
    sleep 3.5
done
printf 'sbatch submit->running latency (s): %s\n' "${lat[*]}"
printf '%s\n' "${lat[@]}" | sort -n | awk '{a[NR]=$1} END {printf "  median %.3f s, max %.3f s\n", a[int((NR+1)/2)], a[NR]}'

t0=$(now)
for ((i = 0; i < N; i++)); do sbatch -Q --parsable -A default-tenant --gres=gpu:1 -o /dev/null --wrap 'sleep 1' >/dev/null; done
t=$(echo "$(now) - $t0" | bc)
printf 'sbatch throughput: %d submits in %.2f s = %.1f/s\n' "$N" "$t" "$(echo "$N / $t" | bc -l)"
