"""What the soak scripts sample of the server process: its resident memory and its CPU time, from /proc."""
import os

_TICK = os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    """Resident set size (VmRSS) in MiB; 0 once the process is gone."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    """User + system CPU seconds (utime, stime) so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK
