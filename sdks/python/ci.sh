#!/usr/bin/env bash
# The Python SDK's CI stage (.ci/run calls it while Kafka and PostgreSQL are
# up, after `npm run build`): a venv with the SDK and its test tools from
# PyPI, mypy, then pytest against the real broker and a Baton engine.
# Writes the counts as $1 (numPassedTests/numFailedTests) for the closing line.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:?usage: sdks/python/ci.sh RESULT_JSON}
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
.venv/bin/mypy
junit=$(mktemp)
status=0
.venv/bin/pytest -q --junitxml="$junit" || status=$?
# Exit 5 is "no tests collected": a suite that ran nothing fails the gate.
if [ "$status" -eq 5 ]; then echo "python sdk: pytest collected no tests" >&2; exit 1; fi
.venv/bin/python - "$junit" "$out" <<'PY'
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root)
tests = sum(int(s.get("tests", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
seconds = sum(float(s.get("time", 0)) for s in suites)
json.dump({"numPassedTests": tests - failed - skipped, "numFailedTests": failed + skipped}, open(sys.argv[2], "w"))
print(f"python sdk: {tests} tests, {failed} failed, {skipped} skipped, {seconds:.1f}s")
PY
exit "$status"
