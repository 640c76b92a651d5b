# Sourced by the dev-cluster scripts: installs Debian packages quietly, without letting their init
# scripts start system-wide daemons (the scripts start their own, on loopback, as they need them).
# usage: apt_install_quietly PACKAGE...   (root only; the caller checks)
apt_install_quietly() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # policy-rc.d keeps the packages' init scripts from starting system-wide daemons.
    local prc=/usr/sbin/policy-rc.d created=0
    [[ -e $prc ]] || { printf '#!/bin/sh\nexit 101\n' >"$prc"; chmod +x "$prc"; created=1; }
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    ((created)) && rm -f "$prc"
    return 0
}
