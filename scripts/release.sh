#!/usr/bin/env bash
# Builds what a release ships, into dist/ (or the directory given):
#   xtsync_X.Y.Z_<debarch>.deb, xtsync-emulator_X.Y.Z_<debarch>.deb
#       CPack, from the ci preset's build (the one scripts/test.sh tests); Depends computed by
#       dpkg-shlibdeps
#   xtsync-X.Y.Z-linux-<arch>.tar.gz and xtsync-X.Y.Z-linux-<arch>.tar.gz.sha256
#       the static preset: an xtsync that needs only glibc, with its man page, completions,
#       README, LICENSE and CHANGELOG; packed reproducibly (sorted, owner 0, the commit's time)
# Run as root on Debian 12 (it installs what is missing); scripts/check-release.sh checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-missing.sh
out="$(realpath -m "${1:-dist}")"

packages=(dpkg-dev file)
install_missing "for packaging" "${packages[@]}"

scripts/bootstrap.sh ci xtsync xtsync-emulator
scripts/bootstrap.sh static

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' build/ci/CMakeCache.txt)
arch=$(uname -m)
rm -rf "$out"
mkdir -p "$out"

echo "==> Debian packages"
cpack --config build/ci/CPackConfig.cmake -B "$out/cpack" >/dev/null
mv "$out"/cpack/*.deb "$out/"
rm -rf "$out/cpack"

echo "==> self-contained tarball"
name="xtsync-$version-linux-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cmake --install build/static --component xtsync --prefix "$stage/$name" --strip >/dev/null
# The commit's time, not now: the same commit packs into the same bytes.
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 0)
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --mode='u+rwX,go+rX,go-w' \
    --format=gnu -C "$stage" -cf - "$name" | gzip -9n >"$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

echo "==> built in $out:"
(cd "$out" && ls -l)
