#!/usr/bin/env bash
# A throw-away Prometheus on loopback that scrapes Reservoir's /metrics every second, for the Prometheus
# test and for trying Reservoir's metrics in a real Prometheus.
#
#   scripts/prometheus-dev.sh start [URL]   install Debian's prometheus (with promtool) if missing, write a
#                                           config, start Prometheus on a free loopback port with fresh data,
#                                           wait until it is ready, print its URL and the targets directory;
#                                           URL (a Reservoir server, e.g. http://127.0.0.1:8080) is scraped
#   scripts/prometheus-dev.sh stop          stop the Prometheus this script started (pid file)
#   scripts/prometheus-dev.sh status        show whether it runs, its URL and its targets
#
# Targets come from files (file_sd): every $BASE/targets/*.json is a list of {"targets": ["host:port"]}.
# Tests start a Reservoir on a free port and drop a file there, so one Prometheus serves them all;
# Prometheus applies a changed file within about 5 s (its discovery manager's update interval).
#
# Environment: RESERVOIR_PROMETHEUS_DIR (default /tmp/reservoir-prometheus), RESERVOIR_PROMETHEUS_PORT
# (the first port tried, default 19090).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt-install.sh"

BASE=${RESERVOIR_PROMETHEUS_DIR:-/tmp/reservoir-prometheus}
FIRST_PORT=${RESERVOIR_PROMETHEUS_PORT:-19090}
TARGETS=$BASE/targets PID=$BASE/prometheus.pid LOG=$BASE/prometheus.log

log() { printf '[prometheus-dev] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
alive() { [[ -f $PID ]] && kill -0 "$(cat "$PID")" 2>/dev/null; }

install_packages() {
    local missing=()
    command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
    command -v curl >/dev/null || missing+=(curl)
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) == 0 ]] || die "missing ${missing[*]} and not root (apt-get install ${missing[*]})"
    log "installing ${missing[*]}"
    apt_install_quietly "${missing[@]}"
    return 0
}

free_port() { # the first port from FIRST_PORT on that nothing on loopback answers
    for ((p = FIRST_PORT; p < FIRST_PORT + 100; p++)); do
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
    done
    die "no free port in $FIRST_PORT-$((FIRST_PORT + 99))"
}

write_target() { # write_target URL: scrape URL's /metrics (http or https, host:port)
    local url=$1 scheme hostport
    [[ $url =~ ^(https?)://([^/]+)/?$ ]] || die "not a server URL (http://host:port): $url"
    scheme=${BASH_REMATCH[1]} hostport=${BASH_REMATCH[2]}
    printf '[{"targets": ["%s"], "labels": {"__scheme__": "%s"}}]\n' "$hostport" "$scheme" >"$TARGETS/default.json"
    log "scraping $scheme://$hostport/metrics"
}

cmd_start() {
    local target=${1:-}
    install_packages
    mkdir -p "$TARGETS"
    rm -f "$TARGETS/default.json" # the URL of an earlier start is not scraped unless given again
    [[ -n $target ]] && write_target "$target"
    if alive; then
        log "already running ($(cat "$PID"))"
    else
        local port
        port=$(free_port)
        rm -rf "$BASE/data"
        cat >"$BASE/prometheus.yml" <<CONF
# Written by scripts/prometheus-dev.sh; regenerated on every start.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: reservoir
    metrics_path: /metrics
    file_sd_configs:
      - files: ['$TARGETS/*.json']
CONF
        promtool check config "$BASE/prometheus.yml" >/dev/null || die "promtool rejects $BASE/prometheus.yml"
        # setsid and no inherited stdout: `start | tail` must not hang on the daemon.
        setsid prometheus --config.file="$BASE/prometheus.yml" --storage.tsdb.path="$BASE/data" \
            --storage.tsdb.retention.time=1d --web.listen-address="127.0.0.1:$port" --log.level=warn \
            </dev/null >"$LOG" 2>&1 &
        echo $! >"$PID"
        echo "http://127.0.0.1:$port" >"$BASE/url"
    fi
    local url
    url=$(cat "$BASE/url")
    for ((i = 0; i < 150; i++)); do
        curl -sf "$url/-/ready" >/dev/null 2>&1 && break
        alive || die "prometheus exited: $(tail -5 "$LOG")"
        sleep 0.2
    done
    curl -sf "$url/-/ready" >/dev/null 2>&1 || die "prometheus not ready after 30 s (log: $LOG)"
    log "ready at $url"
    echo "RESERVOIR_PROMETHEUS=$url"
    echo "RESERVOIR_PROMETHEUS_TARGETS=$TARGETS"
}

cmd_stop() {
    alive || { log "nothing running"; rm -f "$PID"; return 0; }
    local pid
    pid=$(cat "$PID")
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "did not stop; KILL"; kill -9 "$pid" 2>/dev/null || true; }
    rm -f "$PID"
    log "stopped"
}

cmd_status() {
    alive || { echo "prometheus: not running"; return 0; }
    echo "prometheus: running ($(cat "$PID")) at $(cat "$BASE/url")"
    curl -sf "$(cat "$BASE/url")/api/v1/targets?state=active" | grep -o '"scrapeUrl":"[^"]*","globalUrl":"[^"]*","lastError":"[^"]*"' || true
}

case ${1:-} in
start) cmd_start "${2:-}" ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) echo "usage: $0 start [URL]|stop|status" >&2; exit 2 ;;
esac
