#!/usr/bin/env bash
# Prints which of xtsync's own CMake targets link which (from cmake --graphviz), one line per
# target, lowest layer first: the evidence that no arrow runs back up and that the emulator
# links only the base layer.
#   scripts/deps.sh [PRESET]      (default: default; the preset must be configurable)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-default}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cmake --preset "$preset" --graphviz="$out/deps.dot" >/dev/null
awk '
  /\[ label = "/ { match($0, /"node[0-9]+"/); id = substr($0, RSTART + 1, RLENGTH - 2)
                   match($0, /label = "[^"]+"/); name[id] = substr($0, RSTART + 9, RLENGTH - 10) }
  / -> / { split($0, p, "\""); edges[p[2]] = edges[p[2]] " " p[4] }
  END {
    for (id in name) if (name[id] ~ /^xtsync/ && name[id] !~ /_tests$|^xtsync_test_support$|^xtsync_doctest_main$|^xtsync_settings$/) {
      line = ""
      n = split(edges[id], to, " ")
      for (i = 1; i <= n; i++) if (name[to[i]] ~ /^xtsync/ && name[to[i]] != "xtsync_settings") line = line " " name[to[i]]
      printf "%-24s ->%s\n", name[id], (line == "" ? " (nothing of ours)" : line)
    }
  }' "$out/deps.dot" | sort
