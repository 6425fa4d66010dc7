#!/usr/bin/env bash
# Installs Debian's chromium for the browser test (test/browser) when /usr/bin/chromium is
# missing. Never fails the caller: without chromium the browser test skips loudly (or fails
# when CI=true), so this script only reports.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing and we are not root; the browser test will skip (or fail with CI=true)" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
lock=(-o DPkg::Lock::Timeout=300)
if ! apt-get "${lock[@]}" update -qq >&2 || ! apt-get "${lock[@]}" install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2; then
  echo "ensure-chromium: apt-get failed; the browser test will skip (or fail with CI=true)" >&2
fi
exit 0
