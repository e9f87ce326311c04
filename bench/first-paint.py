#!/usr/bin/env python3
"""First paint of the terminal UI: from starting the binary in a pseudo-terminal to the first
frame's text arriving on it, read directly (no terminal multiplexer in between).

    bench/first-paint.py BINARY [RUNS]

127.0.0.1:9 (discard) answers nothing useful: the first frame cannot wait for the network.
Prints each run in milliseconds, then the median.
"""
import os
import pty
import select
import signal
import statistics
import sys
import time


def first_paint(binary):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"HOME": "/tmp", "TERM": "xterm-256color", "LINES": "32", "COLUMNS": "120"})
        os.execv(binary, [binary, "127.0.0.1:9"])
    seen = b""
    try:
        while b"Registries" not in seen:
            ready, _, _ = select.select([fd], [], [], 10)
            if not ready:
                raise SystemExit("no frame within 10 s")
            seen += os.read(fd, 65536)
        return (time.perf_counter() - start) * 1000
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main():
    binary, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 11
    samples = [first_paint(binary) for _ in range(runs)]
    print(" ".join(f"{s:.1f}" for s in samples))
    print(f"first paint, median of {runs}: {statistics.median(samples):.1f} ms")


if __name__ == "__main__":
    main()
