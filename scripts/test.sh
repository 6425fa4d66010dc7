#!/usr/bin/env bash
# The whole test suite, as README and .ci/run call it: system packages the tests need, the
# type check, the linter, the one-file bundle, the committed JSON Schema, then every vitest file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
bash scripts/ensure-truth-deps.sh     # postfix, Cyrus SASL, python3-django: the truth suite's real MTA and clients
if [ "$(id -u)" = 0 ]; then bash test/truth/truthnet.sh reap; fi   # namespaces left by a killed truth-suite run
[ -d node_modules ] || npm ci

echo "== type check";  npx tsc --noEmit
echo "== lint";        npx eslint .
echo "== layers";      npm run --silent lint:layers   # the folder order of lib/ (.dependency-cruiser.cjs)
echo "== build";       npm run build --silent
echo "== e2e tools";   bash scripts/ensure-netlify-cli.sh; bash scripts/ensure-chromium.sh  # Node 22 + netlify-cli in .tools/, chromium: cached
echo "== tests";       npx vitest run "$@"
