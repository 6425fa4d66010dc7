#!/usr/bin/env bash
# npm run bench [-- --quick] [-- --early] [-- --delay-ms N]
#
# Time to verdict, measured on a real network path with real latency, in two network namespaces
# this script creates and removes (seb-client, seb-server; 10.250.0.0/16, fd00:250::/32):
#
#   seb-client: the probe, the baselines, iptables egress policy     TUN seb-tun  10.250.0.1 fd00:250::1
#        | delayline.py (holds each packet DELAY ms)
#        |  unix SOCK_SEQPACKET socket
#        | delayline.py (holds each packet DELAY ms)
#   seb-server: smtp-server on 25/465/587/2525 + 64 scale ports      TUN seb-tun  10.250.0.2 fd00:250::2
#               and 50 extra target addresses 10.250.1.N / fd00:250:1::N on lo
#
# Nothing leaves the namespaces: they have no route but the TUN link, and the hosts/resolv.conf
# files bound into them name only those addresses. Needs root (namespaces, TUN, iptables).
# Installs iproute2, iptables, openssl, swaks (+ its TLS module, libnet-ssleay-perl) and python3
# with apt-get when they are missing. Writes bench/results.md and the README's bench section.
#   --quick       fewer rounds: about 1.5 minutes instead of 5 to 7 (a rough check, same outputs)
#   --early       only the early-decision measurements (scripts/bench/early.ts: blocked ports with
#                 --decide fast vs full, then open ports under 1 % and 5 % random loss): ~4 minutes
#   --delay-ms N  one-way delay of the link (default 40: RTT 80 ms)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

QUICK=0
EARLY_ONLY=0
DELAY_MS=40
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --delay-ms) DELAY_MS=${2:?--delay-ms needs a number}; shift ;;
    --delay-ms=*) DELAY_MS=${1#*=} ;;
    --early) EARLY_ONLY=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1 (use --quick, --early, --delay-ms N)" >&2; exit 2 ;;
  esac
  shift
done

T0=$SECONDS
log() { printf '== [%3ds] %s\n' "$((SECONDS - T0))" "$*" >&2; }

[[ "$DELAY_MS" =~ ^[0-9]+$ ]] || { echo "bench: --delay-ms wants whole milliseconds, got $DELAY_MS" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then echo "bench: needs root (network namespaces, TUN devices, iptables)" >&2; exit 1; fi
if [ ! -c /dev/net/tun ]; then echo "bench: /dev/net/tun is missing (modprobe tun?)" >&2; exit 1; fi

# --- system packages, only when missing ------------------------------------------------------
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v swaks >/dev/null 2>&1 || need+=(swaks)
# swaks does TLS only with Net::SSLeay (a "Recommends", so not always there).
perl -MNet::SSLeay -e 1 >/dev/null 2>&1 || need+=(libnet-ssleay-perl)
if [ ${#need[@]} -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 || { echo "bench: missing ${need[*]} (Debian package names) and no apt-get to install them" >&2; exit 1; }
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ -d node_modules ] || { echo "bench: node_modules missing: run npm ci first" >&2; exit 1; }

# --- one bench at a time; everything below is undone on exit, even on failure ---------------
exec 9>/run/seb-bench.lock
flock -n 9 || { echo "bench: another bench run holds /run/seb-bench.lock" >&2; exit 1; }

TMP="$ROOT/bench/tmp"
NS_C=seb-client
NS_S=seb-server
TUN=seb-tun
PIDS=()

drop_namespaces() {
  local ns p
  for ns in "$NS_C" "$NS_S"; do
    if ip netns list | grep -qw "$ns"; then
      # Only the processes this bench started run in its namespaces.
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
    rm -rf "/etc/netns/$ns"
  done
}
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.3
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  drop_namespaces
  rm -rf "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

drop_namespaces  # leftovers of a killed run
rm -rf "$TMP"
mkdir -p "$TMP"

# --- namespaces, resolver files, delay line --------------------------------------------------
log "namespaces $NS_C / $NS_S, delay ${DELAY_MS} ms each way"
ip netns add "$NS_C"
ip netns add "$NS_S"
mkdir -p "/etc/netns/$NS_C" "/etc/netns/$NS_S"
{
  echo "127.0.0.1 localhost"
  echo "::1 localhost"
  echo "10.250.0.2 mail.test"
  echo "fd00:250::2 mail.test"
  for i in $(seq 1 50); do echo "10.250.1.$i t$i.mail.test"; echo "fd00:250:1::$i t$i.mail.test"; done
} >"/etc/netns/$NS_C/hosts"
printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$NS_S/hosts"
# A resolver inside the namespace itself: any stray DNS query is refused at once, never sent out.
echo "nameserver 127.0.0.1" >"/etc/netns/$NS_C/resolv.conf"
echo "nameserver 127.0.0.1" >"/etc/netns/$NS_S/resolv.conf"
ip -n "$NS_C" link set lo up
ip -n "$NS_S" link set lo up

SOCK="$TMP/delay.sock"
# nice -n -10: the delay line is the "wire"; it should not queue behind other work on the machine.
# Random loss (0 until early.ts sets it): the rate in $TMP/loss, re-read on SIGUSR1.
echo 0 >"$TMP/loss"
ip netns exec "$NS_S" nice -n -10 python3 scripts/bench/delayline.py --tun "$TUN" --delay-ms "$DELAY_MS" --listen "$SOCK" --ready "$TMP/ready-s" --loss-file "$TMP/loss" --stats "$TMP/stats-s" &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$SOCK" ] && [ -f "$TMP/ready-s" ] && break; sleep 0.05; done
ip netns exec "$NS_C" nice -n -10 python3 scripts/bench/delayline.py --tun "$TUN" --delay-ms "$DELAY_MS" --connect "$SOCK" --ready "$TMP/ready-c" --loss-file "$TMP/loss" --stats "$TMP/stats-c" &
PIDS+=($!)
for _ in $(seq 100); do [ -f "$TMP/ready-c" ] && break; sleep 0.05; done
[ -f "$TMP/ready-c" ] && [ -f "$TMP/ready-s" ] || { echo "bench: the delay line did not start" >&2; exit 1; }

ip -n "$NS_C" addr add 10.250.0.1/16 dev "$TUN"
ip -n "$NS_C" addr add fd00:250::1/32 dev "$TUN" nodad
ip -n "$NS_C" link set "$TUN" up
ip -n "$NS_S" addr add 10.250.0.2/16 dev "$TUN"
ip -n "$NS_S" addr add fd00:250::2/32 dev "$TUN" nodad
ip -n "$NS_S" link set "$TUN" up
for i in $(seq 1 50); do echo "addr add 10.250.1.$i/32 dev lo"; echo "addr add fd00:250:1::$i/128 dev lo"; done | ip -n "$NS_S" -batch -

# --- certificates (openssl: fast, and the baselines need it anyway) --------------------------
log "certificates"
(
  cd "$TMP"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=smtp-egress bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=mail.test" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:mail.test,DNS:*.mail.test,IP:10.250.0.2,IP:fd00:250:0:0:0:0:0:2\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext 2>/dev/null
)

# --- bundles: the CLI as users run it, the functions as Netlify bundles them (into $TMP) ------
log "build"
npm run build --silent >/dev/null
cp dist/smtp-egress.mjs "$TMP/smtp-egress.mjs"
[ "$EARLY_ONLY" = 1 ] || node --import tsx scripts/bench/build.ts "$TMP"

# --- servers ---------------------------------------------------------------------------------
log "smtp servers in $NS_S"
ip netns exec "$NS_S" node --import tsx scripts/bench/servers.ts "$TMP/server.pem" "$TMP/server.key" >"$TMP/servers.out" 2>"$TMP/servers.err" &
PIDS+=($!)
for _ in $(seq 600); do grep -q ready "$TMP/servers.out" 2>/dev/null && break; sleep 0.1; done
if ! grep -q ready "$TMP/servers.out"; then
  cat "$TMP/servers.err" >&2
  echo "bench: the smtp servers did not start" >&2
  exit 1
fi

# --- the measurements, from inside the client namespace --------------------------------------
# BENCH_HOLD=SECONDS keeps the setup up that long instead of measuring (to poke at it by hand).
if [ -n "${BENCH_HOLD:-}" ]; then log "holding the setup for $BENCH_HOLD s"; sleep "$BENCH_HOLD" & PIDS+=($!); wait $!; exit 0; fi
log "measuring"
if [ "$EARLY_ONLY" != 1 ]; then
  BENCH_TMP="$TMP" BENCH_QUICK="$QUICK" BENCH_DELAY_MS="$DELAY_MS" BENCH_ROOT="$ROOT" \
    ip netns exec "$NS_C" node --import tsx scripts/bench/bench.ts
fi
BENCH_TMP="$TMP" BENCH_QUICK="$QUICK" BENCH_DELAY_MS="$DELAY_MS" BENCH_ROOT="$ROOT" \
  ip netns exec "$NS_C" node --import tsx scripts/bench/early.ts
log "done"
