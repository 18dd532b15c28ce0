#!/usr/bin/env bash
# Checks what scripts/release.sh built (in dist/, or the directory given), the way a user and a
# distribution would receive it:
#   1. lintian finds no error or warning in either .deb;
#   2. both .deb unpack (dpkg-deb -x) into the expected layout, and the unpacked xtsync runs a
#      command against the unpacked xtsync-emulator;
#   3. the tarball matches its SHA-256, has the expected layout, its binary links only glibc
#      (readelf -d), and it finds the system CA store at every location it probes: each is laid
#      out alone over /etc in a private mount namespace (unshare -m), with the emulator on TLS;
#   4. two builds of this commit from two different paths give the same xtsync, byte for byte.
# Run as root on Debian 12; prints a line per check and exits non-zero if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-missing.sh
dist="$(realpath "${1:-dist}")"
src="$PWD"

install_missing "for the release checks" lintian openssl

failures=0
pass() { echo "ok:   $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' build/ci/CMakeCache.txt)
deb=$(ls "$dist"/xtsync_"$version"_*.deb)
emulator_deb=$(ls "$dist"/xtsync-emulator_"$version"_*.deb)
tarball=$(ls "$dist"/xtsync-"$version"-linux-*.tar.gz)
tenant=9c5d131d-b1c3-4fc4-9e3f-c6557947d551

# Starts an emulator (arguments as given) and sets `url` to where it serves.
start_emulator() {
  local binary=$1
  shift
  local url_file
  url_file=$(mktemp -p "$work")
  "$binary" --port 0 --quiet "$@" >"$url_file" 2>"$url_file.err" </dev/null &
  pids+=($!)
  for _ in $(seq 100); do [[ -s "$url_file" ]] && break; sleep 0.1; done
  url=$(head -n1 "$url_file")
  [[ -n "$url" ]] || { echo "the emulator did not start: $(cat "$url_file.err")" >&2; exit 1; }
}

# Whether every path in the list exists under the root.
has_layout() {
  local root=$1
  shift
  local path ok=0
  for path in "$@"; do
    [[ -e "$root/$path" ]] || { echo "      missing: $path"; ok=1; }
  done
  return $ok
}

echo "==> 1. lintian"
lintian_out=$(lintian -I --tag-display-limit 0 "$deb" "$emulator_deb" 2>&1 | grep -v "root privileges" || true)
echo "$lintian_out" | sed 's/^/      /'
if lintian --fail-on error,warning "$deb" "$emulator_deb" >/dev/null 2>&1; then
  pass "lintian: no errors or warnings ($(echo "$lintian_out" | grep -c '^I:' || true) informational tags)"
else
  fail "lintian reports errors or warnings"
fi

echo "==> 2. the .deb packages, unpacked"
root="$work/deb-root"
dpkg-deb -x "$deb" "$root"
dpkg-deb -x "$emulator_deb" "$root"
check "xtsync .deb layout" has_layout "$root" usr/bin/xtsync usr/share/man/man1/xtsync.1.gz \
  usr/share/bash-completion/completions/xtsync usr/share/zsh/site-functions/_xtsync \
  usr/share/fish/vendor_completions.d/xtsync.fish usr/share/doc/xtsync/README.md usr/share/doc/xtsync/LICENSE \
  usr/share/doc/xtsync/CHANGELOG.md usr/share/doc/xtsync/copyright usr/share/doc/xtsync/changelog.gz
check "xtsync-emulator .deb layout" has_layout "$root" usr/bin/xtsync-emulator \
  usr/share/man/man1/xtsync-emulator.1.gz usr/share/doc/xtsync-emulator/copyright
check "the xtsync package holds no emulator" test -z "$(dpkg-deb -c "$deb" | grep emulator || true)"
check "Depends computed by dpkg-shlibdeps (names libc6 and libssl3)" \
  bash -c "dpkg-deb -f '$deb' Depends | grep -q 'libc6 (>=' && dpkg-deb -f '$deb' Depends | grep -q libssl3"
check "unpacked xtsync --version says $version" bash -c "'$root/usr/bin/xtsync' --version | grep -q '^xtsync $version'"
start_emulator "$root/usr/bin/xtsync-emulator" --partner "$tenant"
export XTSYNC_ACCESS_TOKEN=emulator-token XDG_STATE_HOME="$work/state" NO_COLOR=1
check "unpacked xtsync sets a policy on the unpacked emulator" \
  env XTSYNC_GRAPH_URL="$url" "$root/usr/bin/xtsync" -q set "$tenant" --user-sync allow
check "... and reads it back" \
  bash -c "XTSYNC_GRAPH_URL='$url' '$root/usr/bin/xtsync' get '$tenant' -o tsv | grep -q '^$tenant.*true'"

echo "==> 3. the self-contained tarball"
check "SHA-256 matches" bash -c "cd '$dist' && sha256sum --quiet -c '$(basename "$tarball").sha256'"
tar -C "$work" -xzf "$tarball"
top="$work/$(basename "$tarball" .tar.gz)"
xtsync="$top/bin/xtsync"
check "tarball layout" has_layout "$top" bin/xtsync share/man/man1/xtsync.1.gz \
  share/bash-completion/completions/xtsync share/zsh/site-functions/_xtsync \
  share/fish/vendor_completions.d/xtsync.fish share/doc/xtsync/LICENSE share/doc/xtsync/README.md \
  share/doc/xtsync/CHANGELOG.md
needed=$(readelf -d "$xtsync" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
echo "      NEEDED: $needed"
check "links only glibc (libc, libm, ld-linux)" \
  bash -c "[[ -z \"\$(echo '$needed' | tr ' ' '\n' | grep -v -E '^(libc\.so\.6|libm\.so\.6|ld-linux-[a-z0-9-]+\.so\.[0-9]+)?$')\" ]]"
glibc=$(objdump -T "$xtsync" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1)
echo "      newest glibc symbol version: $glibc"
check "tarball xtsync --version says $version" bash -c "'$xtsync' --version | grep -q '^xtsync $version'"

# A CA and a server certificate for 127.0.0.1, for the emulator on TLS.
ca="$work/ca"
mkdir -p "$ca"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=xtsync release check CA" \
  -keyout "$ca/ca.key" -out "$ca/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$ca/server.key" -out "$ca/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' >"$ca/ext"
openssl x509 -req -in "$ca/server.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAcreateserial -days 2 \
  -extfile "$ca/ext" -out "$ca/server.pem" 2>/dev/null
start_emulator "$root/usr/bin/xtsync-emulator" --partner "$tenant" --tls-cert "$ca/server.pem" \
  --tls-key "$ca/server.key"
tls_url=$url

# Runs the tarball's xtsync (`list`) against the TLS emulator with only `etc` as /etc (and
# nothing at OpenSSL's own /usr/lib/ssl), plus any VAR=value given; prints its stderr (with
# --debug) and then "exit N".
with_etc() {
  local etc=$1
  shift
  local status=0
  unshare -m --propagation private env -u SSL_CERT_FILE -u SSL_CERT_DIR "$@" bash -c '
    mount --bind "$0" /etc && { [[ ! -d /usr/lib/ssl ]] || mount -t tmpfs none /usr/lib/ssl; } &&
    exec "$1" list --graph-url "$2" --debug --max-retries 0 >/dev/null' "$etc" "$xtsync" "$tls_url" 2>&1 || status=$?
  echo "exit $status"
}

if unshare -m --propagation private true 2>/dev/null; then
  probe() {  # probe PATH_UNDER_ETC ORIGIN [hashed]
    local where=$1 origin=$2 etc="$work/etc-$RANDOM"
    mkdir -p "$etc/$(dirname "$where")"
    if [[ "${3:-}" == hashed ]]; then
      mkdir -p "$etc/$where"
      cp "$ca/ca.pem" "$etc/$where/$(openssl x509 -noout -subject_hash -in "$ca/ca.pem").0"
    else
      cp "$ca/ca.pem" "$etc/$where"
    fi
    local log
    log=$(with_etc "$etc")
    if grep -q "debug: trusted CAs: system store: .* /etc/$where ($origin)" <<<"$log" &&
       grep -q "^exit 0$" <<<"$log"; then
      pass "CA store at /etc/$where ($origin) is found and trusted"
    else
      fail "CA store at /etc/$where ($origin)"
      sed 's/^/      /' <<<"$log" | grep -E "trusted CAs|error|hint|exit" || true
    fi
  }
  probe ssl/certs/ca-certificates.crt "Debian, Ubuntu, Gentoo, Arch"
  probe pki/tls/certs/ca-bundle.crt "Fedora, RHEL"
  probe ssl/ca-bundle.pem "openSUSE"
  probe pki/ca-trust/extracted/pem/tls-ca-bundle.pem "CentOS, RHEL 7 and later"
  probe ssl/cert.pem "Alpine"
  probe ssl/certs "Debian, Ubuntu, Alpine, openSUSE" hashed
  empty="$work/etc-empty"
  mkdir -p "$empty"
  log=$(with_etc "$empty")
  if grep -q "system store: none found" <<<"$log" && grep -q "certificate verify failed" <<<"$log" &&
     grep -q "^exit 7$" <<<"$log"; then
    pass "no CA store anywhere: nothing trusted, and --debug says none was found"
  else
    fail "no CA store anywhere"
    sed 's/^/      /' <<<"$log"
  fi
  hashed_dir="$work/certdir"
  mkdir -p "$hashed_dir"
  cp "$ca/ca.pem" "$hashed_dir/$(openssl x509 -noout -subject_hash -in "$ca/ca.pem").0"
  # trusted_with WHAT DEBUG_LINE_PATTERN VAR=value: the TLS command succeeds with only VAR set.
  trusted_with() {
    local what=$1 pattern=$2 log
    log=$(with_etc "$empty" "$3")
    if grep -q "$pattern" <<<"$log" && grep -q "^exit 0$" <<<"$log"; then
      pass "$what"
    else
      fail "$what"
      sed 's/^/      /' <<<"$log"
    fi
  }
  trusted_with "SSL_CERT_DIR is used" "system store: directory $hashed_dir (SSL_CERT_DIR)" SSL_CERT_DIR="$hashed_dir"
  trusted_with "SSL_CERT_FILE is trusted as well" "; plus $ca/ca.pem" SSL_CERT_FILE="$ca/ca.pem"
else
  echo "      unshare -m is not allowed here: the CA store locations are checked by the unit tests only"
fi

echo "==> 4. reproducible build"
if [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  echo "      the working tree has uncommitted changes: checked on a clean checkout only (CI)"
else
  cmake --build --preset ci --target xtsync -- --quiet >/dev/null  # up to date with this commit
  clone="$work/elsewhere/xtsync"
  git clone -q "$src" "$clone"
  (cd "$clone" && cmake --preset product >/dev/null && cmake --build --preset product -- --quiet -j"$(nproc)")
  a=$(sha256sum <"build/ci/cmd/xtsync" | cut -d' ' -f1)
  b=$(sha256sum <"$clone/build/product/cmd/xtsync" | cut -d' ' -f1)
  echo "      $src/build/ci/cmd/xtsync: $a"
  echo "      $clone/build/product/cmd/xtsync: $b"
  check "two builds of $(git rev-parse --short=12 HEAD) from two paths are identical" test "$a" = "$b"
fi

echo "==> sizes"
(cd "$dist" && ls -l ./*.deb ./*.tar.gz | awk '{print "      " $5 " bytes  " $9}')
if ((failures)); then
  echo "==> $failures release check(s) failed"
  exit 1
fi
echo "==> every release check passed"
