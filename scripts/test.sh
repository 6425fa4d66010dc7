#!/usr/bin/env bash
# The whole test suite, as README and .ci/run call it: system packages the tests need, the
# type check, the linter, the one-file bundle, the committed JSON Schema, then every vitest file.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-deps.sh
[ -d node_modules ] || npm ci

echo "== type check";  npx tsc --noEmit
echo "== lint";        npx eslint .
echo "== build";       npm run build --silent
echo "== tests";       npx vitest run "$@"
