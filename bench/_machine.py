"""The machine a benchmark ran on, for its report: every figure is quoted with it."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe_machine(**versions: str) -> dict[str, object]:
    """CPU model, cores, memory, load at start (other work slows every run) and versions."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        **versions,
    }
