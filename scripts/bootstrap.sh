#!/usr/bin/env bash
# Installs the Debian 12 packages xtsync builds with (only those missing), then configures and
# builds one CMake preset (all of it, or only the targets named). Used by demo.sh and test.sh;
# run as root on a fresh machine.
#   scripts/bootstrap.sh [PRESET [TARGET...]]      (default: default, every target)
#   scripts/bootstrap.sh product    the fast path for CI pipelines: only xtsync, no tests
#                                   (XTSYNC_BUILD_TESTS=OFF) -> build/product/cmd/xtsync
#   scripts/bootstrap.sh static     the same, linked to need only glibc -> build/static/cmd/xtsync
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-missing.sh
preset="${1:-default}"
shift || true
targets=("$@")

packages=(g++ cmake ninja-build pkg-config ca-certificates libssl-dev libfmt-dev libcli11-dev doctest-dev
          libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
          libyaml-cpp-dev)
install_missing "" "${packages[@]}"

echo "==> building (preset $preset)"
cmake --preset "$preset" >/dev/null
if ((${#targets[@]})); then
  cmake --build --preset "$preset" --target "${targets[@]}" -- --quiet -j"$(nproc)"
else
  cmake --build --preset "$preset" -- --quiet -j"$(nproc)"
fi
