"""bot/memory.py: glibc's mmap threshold held at its default."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from bot.memory import hold_mmap_threshold

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"

# Frees a 4 MB block (glibc would raise its threshold to 4 MB), then allocates 32 blocks of
# 2 MB, each followed by a live 100 KB block (on the heap either way), and frees the large
# ones: held, they were memory maps and are given back; moving, they are holes in the heap.
PROBE = """
import sys
from bot.memory import hold_mmap_threshold
if sys.argv[1] == "held":
    assert hold_mmap_threshold()
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024
block = bytearray(4 << 20)
del block
before = rss()
blocks, kept = [], []
for _ in range(32):
    blocks.append(bytearray(2 << 20))
    kept.append(bytearray(100_000))
del blocks
print(rss() - before)
"""


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only")
def test_freed_large_blocks_go_back_with_the_threshold_held() -> None:
    def kept(mode: str) -> int:
        out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True,
                             text=True, check=True)
        return int(out.stdout)

    assert kept("held") < 16  # MB still resident: the 3 MB kept, not the 64 MB freed
    assert kept("moving") > 48  # glibc's own behaviour: the heap keeps them


@pytest.mark.skipif(GLIBC, reason="not glibc")
def test_nothing_to_hold_off_glibc() -> None:
    assert hold_mmap_threshold() is False
