#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite
# (unit and integration) through ctest.
#   scripts/test.sh            the release build (preset ci)
#   scripts/test.sh asan       the same suite under AddressSanitizer + UBSan (preset asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
scripts/bootstrap.sh "$preset"
echo "==> testing (preset $preset)"
ctest --preset "$preset" -j"$(nproc)"
