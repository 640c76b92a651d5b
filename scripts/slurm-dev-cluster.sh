#!/usr/bin/env bash
# A throw-away Slurm 22.05 cluster on one Debian machine, for Reservoir's Slurm engine tests and demos.
#
#   scripts/slurm-dev-cluster.sh start    install packages (idempotent), write configs, start daemons,
#                                         wait for idle nodes, print URL + token, write $BASE/env
#   scripts/slurm-dev-cluster.sh stop     stop only the daemons this script started (pid files)
#   scripts/slurm-dev-cluster.sh status   show daemons, nodes and partitions
#
# Why this shape: see ../shared/engines/slurm-notes.md (measured facts and pitfalls). No systemd, no
# cgroups; munge, MariaDB, slurmdbd, slurmctld, N slurmd (fake nodes with fake GPU device files) and
# slurmrestd all run from $BASE and listen on loopback only.
#
# Environment: RESERVOIR_SLURM_DIR (default /tmp/reservoir-slurm), RESERVOIR_SLURM_NODES (default 4),
# RESERVOIR_SLURM_GPUS (per node, default 8), RESERVOIR_SLURM_PORT_BASE (default 16800),
# SLURM_WITH_DBD (default 1; 0 skips MariaDB/slurmdbd and accounting).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"

BASE=${RESERVOIR_SLURM_DIR:-/tmp/reservoir-slurm}
NODES=${RESERVOIR_SLURM_NODES:-4}
GPUS=${RESERVOIR_SLURM_GPUS:-8}
PB=${RESERVOIR_SLURM_PORT_BASE:-16800}
WITH_DBD=${SLURM_WITH_DBD:-1}
CLUSTER=reservoir
REST_USER=reservoir
P_DB=$((PB + 6)) P_CTLD=$((PB + 17)) P_DBD=$((PB + 19)) P_REST=$((PB + 20)) P_SLURMD=$((PB + 101))
ETC=$BASE/etc RUN=$BASE/run LOG=$BASE/log
MUNGE_SOCK=$RUN/munge.socket
export SLURM_CONF=$ETC/slurm.conf
unset SLURM_JWT # pitfall 4: a JWT in the CLI's environment breaks sbatch/scontrol ("Invalid user id")

log() { printf '[slurm-dev] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# Pitfall 3: daemons must not inherit our stdout, or `start | tail` hangs.
bg() { "$@" </dev/null >/dev/null 2>&1; }
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
    local t=$1 what=$2; shift 2
    for ((i = 0; i < t * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    die "timed out after ${t}s waiting for $what (logs in $LOG)"
}

install_packages() {
    local pkgs=(slurm-wlm slurm-client slurmrestd slurm-wlm-jwt-plugin munge curl)
    ((WITH_DBD)) && pkgs+=(slurmdbd slurm-wlm-mysql-plugin mariadb-server mariadb-client)
    local missing=()
    for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) == 0 ]] || die "packages missing (${missing[*]}) and not root"
    log "installing ${missing[*]}"
    apt_install_quietly "${missing[@]}"
    return 0
}

ensure_user() {
    id "$REST_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$REST_USER"
}

write_configs() {
    mkdir -p "$ETC" "$RUN" "$LOG" "$BASE/state" "$BASE/spool" "$BASE/jobs" "$BASE/munge"
    chmod 755 "$BASE" "$ETC" "$RUN" "$LOG"
    chmod 1777 "$BASE/jobs" # jobs run as the REST user and write their output here
    [[ -f $ETC/munge.key ]] || { dd if=/dev/urandom of="$ETC/munge.key" bs=1024 count=1 status=none; }
    chmod 400 "$ETC/munge.key"
    [[ -f $ETC/jwt_hs256.key ]] || dd if=/dev/urandom of="$ETC/jwt_hs256.key" bs=32 count=1 status=none
    chmod 600 "$ETC/jwt_hs256.key"
    # Pools become partitions in this included file; the engine rewrites it and runs `scontrol reconfigure`
    # (partitions made with `scontrol create` are lost when slurmctld restarts: pitfall 9).
    [[ -s $ETC/partitions.conf ]] || echo "# Reservoir pools (written by the Slurm engine)" >"$ETC/partitions.conf"
    chmod 644 "$ETC/partitions.conf"
    local gres_conf=$ETC/gres.conf nodes_conf=""
    : >"$gres_conf"
    for ((n = 1; n <= NODES; n++)); do
        local dev=$BASE/dev/rn$n
        mkdir -p "$dev"
        for ((g = 0; g < GPUS; g++)); do [[ -e $dev/nvidia$g ]] || mknod "$dev/nvidia$g" c 1 3; done
        echo "NodeName=rn$n Name=gpu Type=a100 File=$dev/nvidia[0-$((GPUS - 1))]" >>"$gres_conf"
        nodes_conf+="NodeName=rn$n NodeHostname=rn$n NodeAddr=127.0.0.1 Port=$((P_SLURMD + n - 1)) CPUs=32 Boards=1 SocketsPerBoard=2 CoresPerSocket=16 ThreadsPerCore=1 RealMemory=256000 Gres=gpu:a100:$GPUS State=UNKNOWN"$'\n'
    done
    echo "AutoDetect=off" >>"$gres_conf"
    local acct="AccountingStorageType=accounting_storage/none"
    if ((WITH_DBD)); then
        acct="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=127.0.0.1
AccountingStoragePort=$P_DBD
AccountingStoragePass=$MUNGE_SOCK
AccountingStorageEnforce=associations,limits,qos
AccountingStorageTRES=gres/gpu,gres/gpu:a100
AccountingStoreFlags=job_comment
JobAcctGatherType=jobacct_gather/none"
    fi
    cat >"$ETC/slurm.conf" <<CONF
# Written by scripts/slurm-dev-cluster.sh; regenerated on every start.
ClusterName=$CLUSTER
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$P_CTLD
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$ETC/jwt_hs256.key
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool/%n
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd-%n.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd-%n.log
SlurmdParameters=config_overrides
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu
ReturnToService=2
MinJobAge=3600
KillWait=5
SlurmdTimeout=300
JobRequeue=1
PreemptType=preempt/qos
PreemptMode=REQUEUE
PriorityType=priority/multifactor
PriorityWeightQOS=100000
$acct
JobCompType=jobcomp/none
${nodes_conf}Include $ETC/partitions.conf
PartitionName=gpu Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    if ((WITH_DBD)); then
        cat >"$ETC/slurmdbd.conf" <<CONF
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$P_DBD
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$ETC/jwt_hs256.key
PidFile=$RUN/slurmdbd.pid
LogFile=$LOG/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$P_DB
StorageUser=slurm
StoragePass=reservoir-dev
StorageLoc=slurm_acct_db
CONF
        chmod 600 "$ETC/slurmdbd.conf"
    fi
}

start_munge() {
    alive "$RUN/munged.pid" && return 0
    bg munged --force --socket="$MUNGE_SOCK" --key-file="$ETC/munge.key" --pid-file="$RUN/munged.pid" \
        --log-file="$LOG/munged.log" --seed-file="$BASE/munge/seed"
    wait_for 10 munge munge --socket="$MUNGE_SOCK" -n
}

start_mariadb() {
    # mariadbd runs as `mysql`, so its socket, pid and log live in a directory that user owns.
    local data=$BASE/mysql mrun=$BASE/mysql-run sock=$BASE/mysql-run/mysqld.sock
    alive "$mrun/mariadb.pid" && return 0
    mkdir -p "$mrun"; chown mysql:mysql "$mrun"
    if [[ ! -d $data/mysql ]]; then
        mkdir -p "$data"; chown mysql:mysql "$data"
        mariadb-install-db --no-defaults --datadir="$data" --user=mysql --skip-test-db >"$LOG/mariadb-install.log" 2>&1
    fi
    bg setsid mariadbd --no-defaults --datadir="$data" --user=mysql --socket="$sock" --port="$P_DB" \
        --bind-address=127.0.0.1 --pid-file="$mrun/mariadb.pid" --log-error="$mrun/mariadb.log" \
        --innodb-buffer-pool-size=64M --skip-name-resolve &
    wait_for 30 mariadb mariadb --socket="$sock" -uroot -e 'select 1'
    mariadb --socket="$sock" -uroot <<SQL
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'reservoir-dev';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY 'reservoir-dev';
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
SQL
}

start_slurmdbd() {
    alive "$RUN/slurmdbd.pid" && return 0
    bg slurmdbd
    wait_for 30 slurmdbd sacctmgr -n list cluster
}

start_slurmctld() {
    alive "$RUN/slurmctld.pid" && return 0
    bg slurmctld # no -c: keep job state across restarts
    wait_for 30 slurmctld scontrol ping
}

start_slurmds() {
    for ((n = 1; n <= NODES; n++)); do
        alive "$RUN/slurmd-rn$n.pid" || bg slurmd -N "rn$n"
    done
}

nodes_registered() { ! sinfo -h -N -o '%t' | grep -qE '^(unk|down\*|idle\*|n/a)'; }
bad_nodes() { sinfo -h -N -o '%N %t' | awk '$2 ~ /drain|drng|down|inval|fail/ {print $1}' | sort -u | paste -sd, -; }

no_bad_nodes() { [[ -z $(bad_nodes) ]]; }

resume_bad_nodes() { # pitfall 10: nodes drained by an earlier bad config stay drained
    local bad
    bad=$(bad_nodes)
    [[ -n $bad ]] && { log "resuming $bad"; scontrol update nodename="$bad" state=resume || true; }
    return 0
}

accounting_setup() {
    sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER" || sacctmgr -i add cluster "$CLUSTER" >/dev/null
    sacctmgr -n -P list account format=account | grep -qx default-tenant ||
        sacctmgr -i add account default-tenant Description=default Organization=reservoir >/dev/null
    sacctmgr -n -P list user format=user | grep -qx "$REST_USER" ||
        sacctmgr -i add user "$REST_USER" Account=default-tenant AdminLevel=Administrator >/dev/null
    # root exists in the root account already; it needs default-tenant too, for sbatch baselines.
    sacctmgr -n -P list association where account=default-tenant format=user | grep -qx root ||
        sacctmgr -i add user root Account=default-tenant >/dev/null
    return 0
}

start_slurmrestd() {
    local plugins=openapi/v0.0.38
    ((WITH_DBD)) && plugins+=,openapi/dbv0.0.38 # pitfall 6: dbv plugin without slurmdbd hangs slurmrestd
    if ! alive "$RUN/slurmrestd.pid"; then
        # Pitfall 5: slurmrestd refuses root and SlurmUser; it drops to the REST user itself.
        SLURM_JWT=daemon setsid slurmrestd -a rest_auth/jwt -s "$plugins" -u "$REST_USER" -g "$REST_USER" \
            "127.0.0.1:$P_REST" </dev/null >"$LOG/slurmrestd.log" 2>&1 &
        echo $! >"$RUN/slurmrestd.pid"
    fi
}

write_env() {
    local token
    token=$(scontrol token username="$REST_USER" lifespan=604800 | sed -n 's/^SLURM_JWT=//p')
    [[ -n $token ]] || die "scontrol token gave nothing"
    printf '%s\n' "$token" >"$BASE/token"; chmod 644 "$BASE/token"
    cat >"$BASE/env" <<ENV
SLURM_REST_URL=http://127.0.0.1:$P_REST
SLURM_REST_USER=$REST_USER
SLURMRESTD_TOKEN=$token
SLURM_JWT_FILE=$BASE/token
SLURM_CONF=$SLURM_CONF
SLURM_PARTITIONS_FILE=$ETC/partitions.conf
SLURM_CLUSTER=$CLUSTER
SLURM_JOBS_DIR=$BASE/jobs
SLURM_WITH_DBD=$WITH_DBD
ENV
    local h=(-H "X-SLURM-USER-NAME: $REST_USER" -H "X-SLURM-USER-TOKEN: $token")
    wait_for 20 slurmrestd curl -sf "${h[@]}" "http://127.0.0.1:$P_REST/slurm/v0.0.38/ping"
}

cmd_start() {
    local t0=$SECONDS
    install_packages
    ensure_user
    write_configs
    start_munge
    if ((WITH_DBD)); then start_mariadb; start_slurmdbd; accounting_setup; fi
    start_slurmctld
    start_slurmds
    wait_for 60 "slurmd registration" nodes_registered
    resume_bad_nodes
    wait_for 30 "idle nodes" no_bad_nodes
    start_slurmrestd
    write_env
    log "up in $((SECONDS - t0))s: $NODES nodes x $GPUS GPUs; env in $BASE/env"
    echo "SLURM_REST_URL=http://127.0.0.1:$P_REST"
    echo "SLURMRESTD_TOKEN=$(cat "$BASE/token")"
}

stop_pid() { # stop_pid NAME PIDFILE: TERM, then KILL after 10 s; only our own pid files
    local name=$1 f=$2 pid
    [[ -f $f ]] || return 0
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && { log "$name did not stop; KILL"; kill -9 "$pid" 2>/dev/null || true; }
    fi
    rm -f "$f"
}

cmd_stop() {
    [[ -d $RUN ]] || { log "nothing to stop in $BASE"; return 0; }
    stop_pid slurmrestd "$RUN/slurmrestd.pid"
    for f in "$RUN"/slurmd-*.pid; do [[ -e $f ]] && stop_pid "$(basename "$f" .pid)" "$f"; done
    stop_pid slurmctld "$RUN/slurmctld.pid"
    stop_pid slurmdbd "$RUN/slurmdbd.pid"
    stop_pid mariadb "$BASE/mysql-run/mariadb.pid"
    stop_pid munged "$RUN/munged.pid"
    rm -f "$BASE/env"   # the env file means "a cluster is up": tests look for it
    log "stopped"
}

cmd_status() {
    for f in "$RUN"/*.pid "$BASE"/mysql-run/*.pid; do
        [[ -e $f ]] || continue
        if alive "$f"; then echo "$(basename "$f" .pid): running ($(cat "$f"))"; else echo "$(basename "$f" .pid): dead"; fi
    done
    alive "$RUN/slurmctld.pid" && { sinfo -N -o '%N %t %G %P' || true; }
    [[ -f $BASE/env ]] && grep SLURM_REST_URL "$BASE/env"
    return 0
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
restart) cmd_stop; cmd_start ;;
*) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
