#!/usr/bin/env bash
# Installs Node 22 and the Netlify CLI into .tools/ for the e2e tests (test/e2e): the CLI needs
# Node >= 22.13 while the project runs on Node 20. Cached: does nothing when both already work.
# Never fails the caller: when the install is impossible the e2e test skips loudly (or fails
# when CI=true), so this script only reports.
set -uo pipefail
cd "$(dirname "$0")/.."
TOOLS=.tools
BIN="$TOOLS/node_modules/.bin"

works() {
  [ -x "$BIN/node" ] && [ -x "$BIN/netlify" ] || return 1
  local v
  v="$("$BIN/node" --version 2>/dev/null)" || return 1
  case "$v" in v22.*|v23.*|v24.*) ;; *) return 1 ;; esac
  PATH="$PWD/$BIN:$PATH" "$BIN/netlify" --version >/dev/null 2>&1
}

if works; then exit 0; fi
echo "ensure-netlify-cli: installing node@22 and netlify-cli into $TOOLS/ (about 90 s, once)" >&2
mkdir -p "$TOOLS"
[ -f "$TOOLS/package.json" ] || echo '{"name":"smtp-egress-tools","private":true}' > "$TOOLS/package.json"
start=$(date +%s)
if ! npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error node@22 netlify-cli >&2; then
  echo "ensure-netlify-cli: npm install failed; the Netlify e2e tests will skip (or fail with CI=true)" >&2
  exit 0
fi
if works; then
  echo "ensure-netlify-cli: ready in $(( $(date +%s) - start )) s: node $("$BIN/node" --version), netlify-cli $(PATH="$PWD/$BIN:$PATH" "$BIN/netlify" --version 2>/dev/null | head -1)" >&2
else
  echo "ensure-netlify-cli: installed, but node@22 or netlify did not run; the Netlify e2e tests will skip (or fail with CI=true)" >&2
fi
exit 0
