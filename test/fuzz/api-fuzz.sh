#!/usr/bin/env bash
# Fuzzes the REST API against its own OpenAPI document with schemathesis (all
# checks), bounded, on the built all-in-one process on loopback with a fresh
# data dir. Fails on any server error, undocumented status code, response that
# breaks its schema, or valid request rejected. Needs `npm run build` first and
# python3 (it makes its own venv under .venv and installs schemathesis there).
#
#   test/fuzz/api-fuzz.sh                 # 100 examples: ~3,900 test cases, ~93 s of schemathesis on 2 cores (load ~3)
#   FUZZ_MAX_EXAMPLES=20 test/fuzz/api-fuzz.sh
#   test/fuzz/api-fuzz.sh --include-path /api/v1/import/maestro   # more schemathesis options
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
venv=.venv
max_examples=${FUZZ_MAX_EXAMPLES:-100}
seed=${FUZZ_SEED:-19}

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  if ! python3 -m venv "$venv" 2>/dev/null; then
    # Debian ships venv apart from python3.
    echo "api-fuzz: python3 -m venv failed; installing python3-venv" >&2
    sudo_if_needed=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
    $sudo_if_needed apt-get update -qq
    $sudo_if_needed apt-get install -y -qq python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

data=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
token=fuzz-admin-token
base="http://127.0.0.1:$port"

BATON_DATA_DIR="$data" BATON_PORT="$port" BATON_ADMIN_TOKEN="$token" \
  BATON_RATE_LIMIT_PER_MINUTE=0 BATON_LOG_LEVEL=warn node dist/apps/baton/src/main.js >"$data/baton.log" 2>&1 &
baton=$!
stop() {
  kill "$baton" 2>/dev/null || true
  wait "$baton" 2>/dev/null || true
  rm -rf "$data"
}
trap stop EXIT

for _ in $(seq 1 120); do
  curl -sf "$base/health" >/dev/null 2>&1 && break
  kill -0 "$baton" 2>/dev/null || { cat "$data/baton.log" >&2; echo "api-fuzz: baton exited" >&2; exit 1; }
  sleep 0.5
done

# The status stream never ends by design; it is covered by its own specs.
# One worker: with two, Python 3.11's ast (hypothesis describing a strategy)
# races between threads ("AST constructor recursion depth mismatch"), an error of
# schemathesis, not of Baton, that fails the run.
status=0
"$venv/bin/schemathesis" --config-file test/fuzz/schemathesis.toml run "$base/api/docs-json" \
  --url "$base" \
  --checks all \
  --max-examples "$max_examples" \
  --seed "$seed" \
  --workers 1 \
  --request-timeout 10 \
  --exclude-path-regex '/events/stream' \
  --generation-database none \
  --no-color \
  -H "Authorization: Bearer $token" \
  "$@" || status=$?

if grep -q '"level":"error"\|"level":50' "$data/baton.log"; then
  echo "api-fuzz: the process logged errors:" >&2
  grep '"level":"error"\|"level":50' "$data/baton.log" | head -20 >&2
  status=1
fi
kill -0 "$baton" 2>/dev/null || { echo "api-fuzz: baton died during the run" >&2; status=1; }
exit "$status"
