#!/usr/bin/env sh
# Install the pinned Node validators and test server (needs Node >= 20.19 and npm).
# Safe to re-run. Installs exactly what package-lock.json records. The FHIR tests
# (tests/fhir/fhir_node.py) run the same npm ci themselves when node_modules is missing.
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1; then
  echo "tools/fhir-validate: node is not installed; the FHIR validator tests will be skipped" >&2
  exit 0
fi
npm ci --no-audit --no-fund
