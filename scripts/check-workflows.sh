#!/usr/bin/env bash
# Validates the GitHub Actions workflows against the workflow schema with action-validator
# (npm package @action-validator/cli, pinned): .github/workflows/*.yml and every workflow the
# README shows (a ```yaml block whose first line names .github/workflows/). Needs node and npm;
# without them, or without the npm registry, it says so and checks nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${XDG_CACHE_HOME:-$HOME/.cache}/xtsync-tools/action-validator-0.6.0"
validator="$tools/node_modules/.bin/action-validator"
if [[ ! -x "$validator" ]]; then
  if ! command -v npm >/dev/null; then
    echo "==> workflows: npm is not installed; not validated"
    exit 0
  fi
  mkdir -p "$tools"
  if ! npm install --prefix "$tools" --no-audit --no-fund --silent @action-validator/cli@0.6.0 @action-validator/core@0.6.0; then
    echo "==> workflows: @action-validator/cli could not be installed; not validated"
    exit 0
  fi
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=(.github/workflows/*.yml)
# The README's workflow examples, one file each.
awk -v dir="$work" '
  /^```yaml$/ { getline first; if (first ~ /\.github\/workflows\//) { n++; f = dir "/readme-" n ".yml"; print first > f; inside = 1 }; next }
  /^```$/ { if (inside) close(f); inside = 0; next }
  inside { print > f }
' README.md
files+=("$work"/readme-*.yml)

failed=0
for f in "${files[@]}"; do
  if "$validator" "$f" >"$work/out" 2>&1; then
    echo "ok:   $f"
  else
    echo "FAIL: $f"
    sed 's/^/      /' "$work/out"
    failed=1
  fi
done
exit $failed
