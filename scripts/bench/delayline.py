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

usage: delayline.py --tun NAME --delay-ms N (--listen PATH | --connect PATH) [--ready FILE]
"""
import argparse
import collections
import errno
import fcntl
import os
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
    args = ap.parse_args()
    if bool(args.listen) == bool(args.connect):
        ap.error('give exactly one of --listen and --connect')
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))

    tun = open_tun(args.tun)  # the device exists from here on; the caller configures it
    if args.ready:
        with open(args.ready, 'w') as f:
            f.write('tun\n')
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
