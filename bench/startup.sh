#!/usr/bin/env bash
# Measures what "instant" means for xtsync: wall time per command and peak memory, against the
# bundled emulator on loopback (so the network is not what is measured).
#   bench/startup.sh [RUNS] [PRESET]     (defaults: 200 runs, preset "default")
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-200}"
preset="${2:-default}"
scripts/bootstrap.sh "$preset" >/dev/null
bin="build/$preset/cmd"
tenant=9c5d131d-b1c3-4fc4-9e3f-c6557947d551
workdir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
"$bin/xtsync-emulator" --port 0 --quiet --partner "$tenant" >"$workdir/url" &
pid=$!
for _ in $(seq 100); do [[ -s "$workdir/url" ]] && break; sleep 0.1; done
export XTSYNC_GRAPH_URL=$(head -n1 "$workdir/url") XTSYNC_ACCESS_TOKEN=emulator-token
"$bin/xtsync" set "$tenant" --user-sync allow -q >/dev/null

measure() {
  local label=$1; shift
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do "$@" >/dev/null; done
  end=$(date +%s%N)
  awk -v label="$label" -v ns="$((end - start))" -v n="$runs" 'BEGIN { printf "%-28s %6.2f ms/run\n", label, ns / n / 1e6 }'
}
measure "xtsync --version" "$bin/xtsync" --version
measure "xtsync get (loopback)" "$bin/xtsync" get "$tenant"
measure "xtsync list-deleted -o json" "$bin/xtsync" list-deleted -o json
# Peak memory from the kernel's own accounting of the finished child.
if [[ -x /usr/bin/time ]]; then
  rss=$( { /usr/bin/time -f '%M' "$bin/xtsync" get "$tenant" >/dev/null; } 2>&1 | tail -n1)
  printf '%-28s %6s KiB\n' "peak RSS of get" "$rss"
else
  echo "peak RSS of get: install the 'time' package to measure"
fi
