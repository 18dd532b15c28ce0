#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite
# (unit and integration) through ctest.
#   scripts/test.sh            the release build (preset ci)
#   scripts/test.sh asan       the same suite under AddressSanitizer + UBSan (preset asan)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-missing.sh
preset="${1:-ci}"
scripts/bootstrap.sh "$preset"

# Not needed to build: the shells that tests/integration/test_completion_shells.cpp loads the
# completion scripts into (a shell that is missing is skipped there, not tested), and the man
# page checkers of tests/integration/test_man_pages.cpp.
test_packages=(bash-completion zsh fish mandoc groff-base)
install_missing "for the tests" "${test_packages[@]}"

echo "==> testing (preset $preset)"
ctest --preset "$preset" -j"$(nproc)"
