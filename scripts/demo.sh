#!/usr/bin/env bash
# Installs what is missing, builds, starts the bundled Graph emulator on a free loopback port
# and walks one partner's sync policy through its whole lifecycle with the real xtsync binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh default xtsync xtsync-emulator  # only what the demo runs

bin=build/default/cmd
tenant=9c5d131d-b1c3-4fc4-9e3f-c6557947d551
workdir=$(mktemp -d)
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT

"$bin/xtsync-emulator" --port 0 --quiet --domain contoso.com=01d0e717-bc90-46ba-94a9-71b4a811fddb >"$workdir/url" &
emulator_pid=$!
for _ in $(seq 100); do [[ -s "$workdir/url" ]] && break; sleep 0.1; done
url=$(head -n1 "$workdir/url")
[[ -n "$url" ]] || { echo "the emulator did not start" >&2; exit 1; }

export XTSYNC_GRAPH_URL="$url" XTSYNC_ACCESS_TOKEN=emulator-token NO_COLOR=1
echo "==> xtsync-emulator is serving Graph at $url"

step() {
  echo
  echo "\$ xtsync $*"
  "$bin/xtsync" "$@" 2>&1
}

step set "$tenant" --create-partner --display-name Fabrikam --user-sync allow --group-sync block
step get "$tenant"
step get "$tenant" -o json
step set "$tenant" --group-sync allow
step delete "$tenant"
step list-deleted
step get "$tenant" --deleted
step restore "$tenant"
step delete "$tenant"
step purge "$tenant" --yes
step list-deleted -o json

# Many partners at once: a file, a plan, one batch, then the listing and the export.
cat >"$workdir/partners.yaml" <<YAML
version: 1
partners:
  - tenant: $tenant
    displayName: Fabrikam
    userSync: allow
  - tenant: contoso.com
    displayName: Contoso
    userSync: block
YAML
echo
echo "\$ cat partners.yaml"
cat "$workdir/partners.yaml"
step apply -f "$workdir/partners.yaml" --create-partners
step list
step export
step apply -f "$workdir/partners.yaml" --dry-run --detailed-exitcode
echo
echo "==> the whole lifecycle ran against the emulator"
