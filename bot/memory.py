"""Keeping the process's peak memory near what it holds (glibc's allocator on Linux).

glibc serves a large allocation (past its mmap threshold, 128 KB at start) with its own memory
map, given back when freed; but each such free raises the threshold to that block's size (up
to 32 MB), so later blocks of that size come from the heap and stay resident after they are
freed. Building the matcher's index over 1,000 briefs frees NumPy temporaries of a few MB
each; with the threshold moving, ~13 MB of them stayed resident (peak RSS 148.6 MB against
140.0 MB with it held, 2026-12-07, docs/performance.md). Setting the threshold once holds it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

M_MMAP_THRESHOLD = -3  # mallopt's parameter number, <malloc.h>
MMAP_THRESHOLD = 128 * 1024  # bytes: glibc's own default, kept fixed


def hold_mmap_threshold() -> bool:
    """Fix glibc's mmap threshold at its default (True when set; False off glibc, where the
    allocator is another and there is nothing to hold)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
