#!/usr/bin/env bash
# truthnet.sh — network-namespace layout + egress policies for the SMTP truth suite.
#
#   server netns  (MTA)                 client netns (mail clients)
#   eth0 10.77.0.1/24  fd77::1/64  <-veth->  eth0 10.77.0.2/24  fd77::2/64
#
# Everything lives in namespaces this script creates; nothing is routed to the
# host or beyond (no NAT, no forwarding, resolv.conf inside both namespaces
# points at 127.0.0.1 so no DNS query ever leaves the namespace).
#
# Commands (ID = the owner's PID, or PIDxN for several pairs of one owner; defaults to $$
# of the caller via TRUTH_ID, prefix via TRUTH_PREFIX):
#   truthnet.sh up      [ID]            create namespaces, veth, addresses, hosts files
#   truthnet.sh policy  ID POLICY       apply an egress policy in the client netns
#   truthnet.sh down    [ID]            delete namespaces + /etc/netns dirs (kills leftovers)
#   truthnet.sh names   [ID]            print SRV=... CLI=... (eval-able)
#   truthnet.sh dns     ID on|off|blackhole [ZONE_HOSTS_FILE]  DNS stub for c-ares resolvers (nodemailer) in CLI
#   truthnet.sh reap                    delete namespaces of dead owner PIDs
#   truthnet.sh policies                list policies
#
# Policies (all applied inside the CLIENT netns only; "SMTP ports" = 25,465,587):
#   open          nothing blocked
#   render        v4: DROP SMTP ports; v6: every v6 route deleted (connect -> ENETUNREACH)
#   render-nov6   v4: DROP SMTP ports; IPv6 disabled on eth0 (no v6 address at all)
#   reject-net    v4: REJECT icmp-net-unreachable; v6: REJECT icmp6-no-route (SMTP ports)
#   reset         v4+v6: REJECT tcp-reset (SMTP ports)
#   v6-reject     v4 open; v6: REJECT icmp6-adm-prohibited (SMTP ports)
#   v6-noroute    v4 open; v6: REJECT icmp6-no-route (SMTP ports)
#   v6-drop       v4 open; v6: DROP (SMTP ports)
#   v4-drop       v4: DROP SMTP ports; v6 open (route present)
#   dns-drop      SMTP open; DNS (53/udp+tcp) dropped in OUTPUT. NB: for UDP this is NOT a
#                 timeout: sendmsg() fails with EPERM at once (c-ares reports ECONNREFUSED).
#                 For a DNS server that never answers use `dns ID blackhole`.
# Ports 2525/2465 are never blocked (alternative-port checks).
set -euo pipefail
[ -n "${TRUTH_TRACE:-}" ] && { exec 9>>"$TRUTH_TRACE"; BASH_XTRACEFD=9; PS4='+ ${EPOCHREALTIME} '; set -x; }

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${TRUTH_PREFIX:-truth}"
SMTP_PORTS="25,465,587"

SRV_V4=10.77.0.1 CLI_V4=10.77.0.2
SRV_V6=fd77::1   CLI_V6=fd77::2
MAIL_NAME=mail.truth.test

names() { # ID -> SRV CLI
  local id="$1"
  SRV="${PREFIX}${id}-s"; CLI="${PREFIX}${id}-c"
}

nsx() { ip netns exec "$@"; }

write_netns_etc() { # NS  role
  local ns="$1" role="$2" d="/etc/netns/$1"
  mkdir -p "$d"
  cat >"$d/hosts" <<EOF
127.0.0.1 localhost
::1       localhost ip6-localhost ip6-loopback
127.0.1.1 $(hostname)
# dual-stack name (A + AAAA), like a real provider host name
$SRV_V4 $MAIL_NAME wrong.truth.test
$SRV_V6 $MAIL_NAME wrong.truth.test
# single-family names (same certificate covers them)
$SRV_V4 mail4.truth.test
$SRV_V6 mail6.truth.test
$CLI_V4 client.truth.test
$CLI_V6 client.truth.test
EOF
  # No DNS leaves the namespace: port 53 on loopback is either closed
  # (ECONNREFUSED, instant) or served by dns_stub.py (TRUTH_DNS=stub).
  printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$d/resolv.conf"
  echo "$role.truth.test" >"$d/hostname"
}

cmd_up() {
  local id="${1:-${TRUTH_ID:-$$}}"; names "$id"
  if ip netns list | grep -qw -- "$SRV"; then
    echo "truthnet: $SRV already exists" >&2; exit 1
  fi
  ip netns add "$SRV"
  ip netns add "$CLI"
  local ns
  for ns in "$SRV" "$CLI"; do
    # before the veth exists, so its link-local address skips DAD too
    nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 >/dev/null
    nsx "$ns" ip link set lo up
  done
  write_netns_etc "$SRV" server
  write_netns_etc "$CLI" client
  # veth created directly inside the two namespaces: no name clash across runs
  ip link add name eth0 netns "$SRV" type veth peer name eth0 netns "$CLI"
  nsx "$SRV" ip addr add "$SRV_V4/24" dev eth0
  nsx "$SRV" ip -6 addr add "$SRV_V6/64" dev eth0 nodad
  nsx "$CLI" ip addr add "$CLI_V4/24" dev eth0
  nsx "$CLI" ip -6 addr add "$CLI_V6/64" dev eth0 nodad
  nsx "$SRV" ip link set eth0 up
  nsx "$CLI" ip link set eth0 up
  # client default routes point at the server (like a real egress gateway)
  nsx "$CLI" ip route add default via "$SRV_V4"
  nsx "$CLI" ip -6 route add default via "$SRV_V6"
  # bounded wait: both ends up (carrier) and no tentative v6 address left
  local i
  for i in $(seq 1 50); do
    if ! ip -n "$CLI" -6 addr show dev eth0 | grep -q tentative \
       && ! ip -n "$SRV" -6 addr show dev eth0 | grep -q tentative \
       && ip -n "$CLI" link show dev eth0 | grep -q 'state UP' \
       && ip -n "$SRV" link show dev eth0 | grep -q 'state UP'; then
      break
    fi
    sleep 0.1
  done
  echo "SRV=$SRV CLI=$CLI"
}

cmd_policy() {
  local id="$1" pol="$2"; names "$id"
  local ipt="ip netns exec $CLI iptables -w 5" ip6t="ip netns exec $CLI ip6tables -w 5"
  # reset to "open"
  $ipt -F OUTPUT; $ip6t -F OUTPUT
  $ipt -P OUTPUT ACCEPT; $ip6t -P OUTPUT ACCEPT
  nsx "$CLI" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0 >/dev/null
  # (re-)add v6 address + routes if a previous policy removed them
  nsx "$CLI" ip -6 addr replace "$CLI_V6/64" dev eth0 nodad
  nsx "$CLI" ip -6 route replace fd77::/64 dev eth0
  nsx "$CLI" ip -6 route replace default via "$SRV_V6" dev eth0
  local m=(-p tcp -m multiport --dports "$SMTP_PORTS")
  case "$pol" in
    open) ;;
    render)
      $ipt -A OUTPUT "${m[@]}" -j DROP
      nsx "$CLI" ip -6 route flush table main ;;     # incl. fd77::/64 and fe80::/64
    render-nov6)
      $ipt -A OUTPUT "${m[@]}" -j DROP
      nsx "$CLI" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 >/dev/null ;;
    reject-net)
      $ipt -A OUTPUT "${m[@]}" -j REJECT --reject-with icmp-net-unreachable
      $ip6t -A OUTPUT "${m[@]}" -j REJECT --reject-with icmp6-no-route ;;
    reset)
      $ipt -A OUTPUT "${m[@]}" -j REJECT --reject-with tcp-reset
      $ip6t -A OUTPUT "${m[@]}" -j REJECT --reject-with tcp-reset ;;
    v6-reject)
      $ip6t -A OUTPUT "${m[@]}" -j REJECT --reject-with icmp6-adm-prohibited ;;
    v6-noroute)
      $ip6t -A OUTPUT "${m[@]}" -j REJECT --reject-with icmp6-no-route ;;
    v6-drop)
      $ip6t -A OUTPUT "${m[@]}" -j DROP ;;
    v4-drop)
      $ipt -A OUTPUT "${m[@]}" -j DROP ;;
    dns-drop)   # SMTP open, every DNS query silently dropped (resolver timeouts)
      $ipt -A OUTPUT -p udp --dport 53 -j DROP; $ipt -A OUTPUT -p tcp --dport 53 -j DROP
      $ip6t -A OUTPUT -p udp --dport 53 -j DROP; $ip6t -A OUTPUT -p tcp --dport 53 -j DROP ;;
    *) echo "truthnet: unknown policy $pol" >&2; exit 2 ;;
  esac
}

kill_ns_pids() { # NS — end processes this suite started inside its own namespace
  local ns="$1" pids p
  pids="$(ip netns pids "$ns" 2>/dev/null || true)"
  [ -z "$pids" ] && return 0
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    pids="$(ip netns pids "$ns" 2>/dev/null || true)"; [ -z "$pids" ] && return 0; sleep 0.1
  done
  for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
}

cmd_down() {
  local id="${1:-${TRUTH_ID:-$$}}"; names "$id"
  local ns
  cmd_dns "$id" off
  for ns in "$CLI" "$SRV"; do
    if ip netns list | awk '{print $1}' | grep -qx -- "$ns"; then
      kill_ns_pids "$ns"
      ip netns del "$ns" 2>/dev/null || true
    fi
    rm -rf "/etc/netns/$ns"
  done
}

cmd_dns() { # ID on|off [HOSTS_FILE] — DNS stub (A/AAAA from the client hosts file, or
            # HOSTS_FILE to make DNS disagree with /etc/hosts) on 127.0.0.1:53 in CLI
  local id="$1" what="$2"; names "$id"
  local zone="${3:-/etc/netns/$CLI/hosts}"
  local pidf="/run/truth-dns-$CLI.pid"
  if [ -f "$pidf" ]; then kill "$(cat "$pidf")" 2>/dev/null || true; rm -f "$pidf"; fi
  local bh=()
  case "$what" in on) ;; blackhole) bh=(--blackhole) ;; *) return 0 ;; esac
  ip netns exec "$CLI" /usr/bin/python3 "$HERE/dns_stub.py" "${bh[@]}" --hosts "$zone" \
    --max-seconds "${TRUTH_DNS_MAX_S:-3600}" </dev/null >/dev/null 2>&1 &
  echo $! >"$pidf"
  local i
  for i in $(seq 1 30); do  # bounded readiness wait
    ip netns exec "$CLI" ss -Hlun 2>/dev/null | grep -q '127.0.0.1:53 ' && return 0
    sleep 0.1
  done
  echo "truthnet: dns stub did not start" >&2; return 1
}

cmd_reap() {
  local ns id
  local owner
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^${PREFIX}[0-9]+(x[0-9]+)?-[sc]$" || true); do
    id="${ns#"$PREFIX"}"; id="${id%-?}"; owner="${id%%x*}"   # ID = OWNERPID or OWNERPIDxN
    if ! kill -0 "$owner" 2>/dev/null; then
      echo "truthnet: reaping $ns (owner pid $owner gone)"
      cmd_down "$id"
    fi
  done
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  policy) shift; cmd_policy "$@" ;;
  down) shift; cmd_down "$@" ;;
  names) shift; names "${1:-${TRUTH_ID:-$$}}"; echo "SRV=$SRV CLI=$CLI" ;;
  dns) shift; cmd_dns "$@" ;;
  reap) cmd_reap ;;
  policies) echo "open render render-nov6 reject-net reset v6-reject v6-noroute v6-drop v4-drop dns-drop" ;;
  *) sed -n '2,30p' "$0"; exit 2 ;;
esac
