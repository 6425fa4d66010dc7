#!/usr/bin/env bash
# ensure-truth-deps.sh — idempotently install the Debian packages the SMTP
# "truth suite" needs: network namespaces + iptables, Django 3.2 (Debian),
# Postfix with Cyrus SASL (sasldb), OpenSSL.
#
# * Installs only what is missing (dpkg-query check first; no network at all
#   when everything is present).
# * Preseeds postfix with "No configuration" so the package does NOT create or
#   start a system mail instance: the suite runs private instances with
#   `postfix -c DIR` (see mta.sh).
# * Never touches /etc/postfix/main.cf of an already configured system.
#
# Called by scripts/test.sh before the tests (CI runs on a fresh machine).
# Usage: sudo bash scripts/ensure-truth-deps.sh   (exit 0 = all present, or not root)
#        TRUTH_DEPS_CHECK_ONLY=1 ./ensure-truth-deps.sh   (exit 1 if missing)
set -euo pipefail

PKGS=(
  iproute2          # ip netns / veth
  iptables          # iptables + ip6tables (nft backend on bookworm)
  python3-django    # Django 3.2.x for /usr/bin/python3
  postfix           # MTA (private instances via postfix -c)
  sasl2-bin         # saslpasswd2 / sasldblistusers2
  libsasl2-modules  # PLAIN / LOGIN mechanisms
  libsasl2-modules-db # sasldb auxprop plugin
  openssl           # CA + server certificates
)

installed() {
  dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

missing=()
for p in "${PKGS[@]}"; do
  installed "$p" || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-truth-deps: all present (${PKGS[*]})"
  exit 0
fi
if [ "${TRUTH_DEPS_CHECK_ONLY:-0}" = 1 ]; then
  echo "ensure-truth-deps: missing: ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  # Not fatal here: the truth suite then says what is missing (and fails when CI=true).
  echo "ensure-truth-deps: need root to install: ${missing[*]}; the truth suite (test/truth) cannot run" >&2
  exit 0
fi

start=$(date +%s.%N)
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

# Postfix: do not configure/start the system instance.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string truth.test" | debconf-set-selections

echo "ensure-truth-deps: installing: ${missing[*]}"
# One update per install run (lists on a fresh machine may be stale/absent).
timeout 600 apt-get "${APT_OPTS[@]}" update -qq
timeout 900 apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends "${missing[@]}" \
  >/tmp/ensure-truth-deps.apt.log 2>&1 || {
    echo "ensure-truth-deps: apt-get install failed; tail of log:" >&2
    tail -n 30 /tmp/ensure-truth-deps.apt.log >&2
    exit 1
  }

# Verify
for p in "${PKGS[@]}"; do
  installed "$p" || { echo "ensure-truth-deps: $p still missing" >&2; exit 1; }
done
for c in ip iptables ip6tables postfix postconf saslpasswd2 openssl; do
  command -v "$c" >/dev/null || { echo "ensure-truth-deps: command $c missing" >&2; exit 1; }
done
/usr/bin/python3 -c 'import django' || { echo "ensure-truth-deps: django not importable by /usr/bin/python3" >&2; exit 1; }

end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v m="${missing[*]}" 'BEGIN { printf "ensure-truth-deps: installed %s in %.1fs\n", m, e - s }' 
