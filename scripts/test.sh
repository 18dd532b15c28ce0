#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite
# (unit and integration) through ctest.
#   scripts/test.sh            the release build (preset ci)
#   scripts/test.sh asan       the same suite under AddressSanitizer + UBSan (preset asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
scripts/bootstrap.sh "$preset"

# Not needed to build: the shells that tests/integration/test_completion_shells.cpp loads the
# completion scripts into (a shell that is missing is skipped there, not tested), and the man
# page checkers of tests/integration/test_man_pages.cpp.
test_packages=(bash-completion zsh fish mandoc groff-base)
missing=()
for p in "${test_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> installing for the tests: ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "==> testing (preset $preset)"
ctest --preset "$preset" -j"$(nproc)"
