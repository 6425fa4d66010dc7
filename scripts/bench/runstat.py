#!/usr/bin/env python3
"""Measuring helper for the bench (stdlib only).

  runstat.py -- CMD ARGS...   runs CMD (stdin and stderr inherited, stdout passed through) and,
                              after it, prints to stderr one line "RUNSTAT {json}": wall ms (from
                              just before spawn to wait4), ms to CMD's first byte on stdout (when
                              a CLI shows its verdict), user/sys CPU ms and peak RSS (KiB) of CMD,
                              from wait4's rusage.
  runstat.py --rtt HOST PORT N
                              N TCP connects (blocking, kernel-level, no event loop in the way):
                              prints a JSON list of connect times in ms. A connect is one RTT.

The CPU figures are what make ratios trustworthy on a busy machine: wall time of a short process
swings with the load, the CPU it burns much less.
"""
import json
import os
import socket
import sys
import time


def rtt(host: str, port: int, n: int) -> None:
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    out = []
    for _ in range(n):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(5)
        t = time.perf_counter()
        s.connect((host, port))
        out.append((time.perf_counter() - t) * 1000)
        s.close()
        time.sleep(0.01)
    print(json.dumps(out))


def run(argv: list) -> int:
    r, w = os.pipe()
    t = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_CLOSE, r)])
    os.close(w)
    first = None
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        if first is None:
            first = (time.perf_counter() - t) * 1000
        sys.stdout.buffer.write(chunk)
    sys.stdout.flush()
    os.close(r)
    _, status, ru = os.wait4(pid, 0)
    wall = (time.perf_counter() - t) * 1000
    code = os.waitstatus_to_exitcode(status)
    stats = {'wallMs': wall, 'firstOutMs': first, 'userMs': ru.ru_utime * 1000, 'sysMs': ru.ru_stime * 1000, 'maxRssKb': ru.ru_maxrss, 'code': code}
    sys.stderr.write('\nRUNSTAT ' + json.dumps(stats) + '\n')
    return 0


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[:1] == ['--rtt'] and len(a) == 4:
        rtt(a[1], int(a[2]), int(a[3]))
    elif a[:1] == ['--'] and len(a) > 1:
        sys.exit(run(a[1:]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
