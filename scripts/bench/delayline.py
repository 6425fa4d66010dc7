#!/usr/bin/env python3
"""One side of a user-space delay line (this kernel has no netem).

Owns a TUN device in the current network namespace and passes raw IP packets to the other side
over a unix SOCK_SEQPACKET socket (one packet per message). Every packet read from the TUN device
is held for DELAY ms before it is sent to the peer; packets from the peer go straight into the
TUN device. With one process per side, each direction gets DELAY: RTT = 2 x DELAY.

Why Python and not a C program: python3 with its standard library (fcntl.ioctl TUNSETIFF,
select, socket) is on every Debian/Ubuntu image and CI runner that has Node's build tools, and
needs no compiler at bench time (gcc/build-essential is a ~200 MB install that fresh machines
and slim images lack). The packet rates of the bench (a few thousand per second at most) are far
below what this loop can carry, and the bench measures the RTT it actually gets in the same run,
so the floor it compares against includes any scheduling jitter of this process.

Random loss (the early-decision bench): with --loss-file, every packet read from the TUN device is
dropped with the probability written in that file (a float 0..1, 0 when absent), re-read on
SIGUSR1. One process per side, so both directions lose packets independently. After each
re-read the process writes "NEW_LOSS OLD_LOSS PASSED DROPPED" to --stats FILE: the acknowledgement that the new
rate is in force, and the packets passed and dropped at the previous rate (since the re-read before).

usage: delayline.py --tun NAME --delay-ms N (--listen PATH | --connect PATH) [--ready FILE]
                    [--loss-file FILE --stats FILE]
The ready file holds the process id (for SIGUSR1).
"""
import argparse
import collections
import errno
import fcntl
import os
import random
import select
import signal
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name: str) -> int:
    fd = os.open('/dev/net/tun', os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def peer_socket(args) -> socket.socket:
    if args.listen:
        try:
            os.unlink(args.listen)
        except FileNotFoundError:
            pass
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        srv.bind(args.listen)
        srv.listen(1)
        conn, _ = srv.accept()
        srv.close()
        return conn
    deadline = time.monotonic() + 20
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            s.connect(args.connect)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--tun', required=True)
    ap.add_argument('--delay-ms', type=float, required=True)
    ap.add_argument('--listen')
    ap.add_argument('--connect')
    ap.add_argument('--ready')
    ap.add_argument('--loss-file')
    ap.add_argument('--stats')
    args = ap.parse_args()
    if bool(args.listen) == bool(args.connect):
        ap.error('give exactly one of --listen and --connect')
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))

    tun = open_tun(args.tun)  # the device exists from here on; the caller configures it
    loss = {'p': 0.0, 'passed': 0, 'dropped': 0}
    rng = random.SystemRandom()

    def reload_loss(*_):
        # Runs in the main thread between two steps of the loop; it writes the acknowledgement
        # itself, since select() resumes waiting after a signal (PEP 475) on an idle link.
        old = (loss['p'], loss['passed'], loss['dropped'])
        loss['passed'] = loss['dropped'] = 0
        try:
            with open(args.loss_file) as f:
                loss['p'] = min(1.0, max(0.0, float(f.read().strip() or 0)))
        except (OSError, ValueError):
            loss['p'] = 0.0
        if args.stats:
            with open(args.stats + '.tmp', 'w') as f:
                f.write(f"{loss['p']} {old[0]} {old[1]} {old[2]}\n")
            os.replace(args.stats + '.tmp', args.stats)

    if args.loss_file:
        signal.signal(signal.SIGUSR1, reload_loss)
    if args.ready:
        with open(args.ready, 'w') as f:
            f.write(f'{os.getpid()}\n')
    peer = peer_socket(args)
    peer.setblocking(True)
    delay = args.delay_ms / 1000.0
    held = collections.deque()  # (due, packet): constant delay, so FIFO order is due order

    while True:
        timeout = None
        if held:
            timeout = max(0.0, held[0][0] - time.monotonic())
        readable, _, _ = select.select([tun, peer], [], [], timeout)
        now = time.monotonic()
        if tun in readable:
            while True:  # drain: one wake-up may have many packets behind it
                try:
                    pkt = os.read(tun, 65536)
                except OSError as e:
                    if e.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                        break
                    raise
                if loss['p'] and rng.random() < loss['p']:
                    loss['dropped'] += 1
                    continue
                loss['passed'] += 1
                held.append((now + delay, pkt))
        if peer in readable:
            pkt = peer.recv(65536)
            if not pkt:
                return  # the other side is gone
            try:
                os.write(tun, pkt)
            except OSError as e:
                # Interface down or a packet the kernel refuses: drop it, as a link would.
                if e.errno not in (errno.EIO, errno.EINVAL, errno.ENOBUFS, errno.EAGAIN):
                    raise
        now = time.monotonic()
        while held and held[0][0] <= now:
            peer.send(held.popleft()[1])


if __name__ == '__main__':
    main()
