# Sourced by the scripts that need Debian packages: one way to install only what is missing.
#   install_missing "WHAT FOR" PACKAGE...     e.g. install_missing "for the tests" zsh fish
install_missing() {
  local why=$1
  shift
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "==> installing${why:+ $why}: ${missing[*]}"
  local sudo=
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
