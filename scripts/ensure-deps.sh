#!/bin/sh
# Installs node_modules from the lock file when they are missing or older than
# the lock, so `npm start` and `npm test` work on a clean clone without a
# separate install step. A no-op (a stat of two files) when up to date.
set -e
cd "$(dirname "$0")/.."
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ]; then
  npm ci --no-audit --no-fund
fi
