// Scheduling cycle: see SchedulingCycle.swift (in progress).
