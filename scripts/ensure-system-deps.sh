#!/usr/bin/env bash
# Installs the Debian packages the tests need (ip, iptables for the egress tests; script, from
# bsdutils, for the CLI tests under a pseudo-terminal), only when missing.
# Network namespaces need root; without root the egress tests say so and skip (CI runs as root).
set -euo pipefail
need=()
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-system-deps: missing ${need[*]} and not root; egress tests will be skipped" >&2
  exit 0
fi
echo "ensure-system-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
