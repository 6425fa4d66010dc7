#!/usr/bin/python3
"""dns_stub.py — tiny authoritative DNS responder for the truth suite (stdlib only).

Serves A/AAAA records read from a hosts-format file on 127.0.0.1:53/udp INSIDE the
client netns, so resolvers that do not read /etc/hosts (Node's dns.resolve4/6,
i.e. c-ares, used by nodemailer) see the same dual-stack name as getaddrinfo.
Unknown names -> NXDOMAIN; known name without that type -> NOERROR/NODATA.
--blackhole: receive and never answer (a DNS server that times out; note that an
iptables DROP of udp/53 in OUTPUT does NOT simulate that: sendmsg() gets EPERM at once).

    ip netns exec CLI python3 dns_stub.py --hosts /etc/netns/CLI/hosts [--port 53]
        [--max-seconds 3600]    # always exits by itself
"""
import argparse
import ipaddress
import socket
import struct
import sys
import time


def load(path):
    recs = {}
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if len(line) < 2:
                continue
            try:
                ip = ipaddress.ip_address(line[0])
            except ValueError:
                continue
            for name in line[1:]:
                recs.setdefault(name.lower().rstrip("."), []).append(ip)
    return recs


def parse_qname(data, off):
    labels = []
    while True:
        n = data[off]
        off += 1
        if n == 0:
            break
        labels.append(data[off:off + n].decode("ascii", "replace"))
        off += n
    return ".".join(labels).lower(), off


def answer(data, recs):
    if len(data) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", data[:6])
    if qd != 1:
        return None
    name, off = parse_qname(data, 12)
    qtype, qclass = struct.unpack("!HH", data[off:off + 4])
    question = data[12:off + 4]
    rd = flags & 0x0100
    ips = recs.get(name)
    rcode = 0 if ips is not None else 3  # NXDOMAIN
    want = {1: 4, 28: 6}.get(qtype)
    ans = []
    for ip in ips or []:
        if want == ip.version:
            rdata = ip.packed
            ans.append(b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(rdata)) + rdata)
    hdr = struct.pack("!HHHHHH", qid, 0x8000 | 0x0400 | rd | rcode, 1, len(ans), 0, 0)
    return hdr + question + b"".join(ans)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", required=True)
    ap.add_argument("--addr", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--max-seconds", type=float, default=3600)
    ap.add_argument("--blackhole", action="store_true", help="read queries, never answer (resolver timeouts)")
    a = ap.parse_args()
    recs = load(a.hosts)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    s.settimeout(1.0)
    print("dns_stub: serving %d names on %s:%d" % (len(recs), a.addr, a.port), file=sys.stderr, flush=True)
    end = time.monotonic() + a.max_seconds
    while time.monotonic() < end:
        try:
            data, peer = s.recvfrom(4096)
        except socket.timeout:
            continue
        if a.blackhole:
            continue
        try:
            resp = answer(data, recs)
        except Exception:
            resp = None
        if resp:
            s.sendto(resp, peer)


if __name__ == "__main__":
    main()
