#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset "fuzz": clang, ASan+UBSan, coverage) and runs each one
# for SECONDS (default 60) on a copy of its seed corpus in tests/fuzz/corpus/<target>/, after
# replaying every input in tests/fuzz/regressions/<target>/ once. New crash inputs are copied into
# tests/fuzz/regressions/<target>/. Exits non-zero if any target crashed, leaked, timed out or ran
# out of memory.
#   scripts/fuzz.sh [SECONDS]
# Environment: FUZZ_JOBS (build parallelism, default nproc), FUZZ_TARGETS (space-separated subset),
# FUZZ_KEEP_GOING=1 (libFuzzer -fork=1 -ignore_crashes=1: keep fuzzing past a crash and collect every
# crash input; the run still fails).
#
# Needs clang and libclang-rt-14-dev (libFuzzer) on top of what scripts/bootstrap.sh installs;
# they are installed here when missing, so bootstrap's default package list stays compiler-neutral.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-missing.sh
root=$PWD
seconds="${1:-60}"
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2; }
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_policy_json fuzz_paging_headers fuzz_http_response}"

# --- optional packages for the fuzz build only -------------------------------------------------
packages=(clang libclang-rt-14-dev)
install_missing "for the fuzz build" "${packages[@]}"
if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null; then
  echo "cmake/ninja missing: run scripts/bootstrap.sh first (it installs the build dependencies)" >&2
  exit 2
fi

# --- build ----------------------------------------------------------------------------------------
build_start=$SECONDS
echo "==> building the fuzz targets (preset fuzz)"
CC=clang CXX=clang++ cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -- --quiet -j"${FUZZ_JOBS:-$(nproc)}"
echo "    build took $((SECONDS - build_start)) s"

bin_dir=$root/build/fuzz/tests/fuzz
work=$root/build/fuzz/fuzz-run
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

dict_for() {
  case $1 in
    fuzz_http_response) echo "$root/tests/fuzz/http.dict" ;;
    *) echo "$root/tests/fuzz/json.dict" ;;
  esac
}

failed=0
summary=()

# --- regressions: every past crash input, once ------------------------------------------------------
for t in "${targets[@]}"; do
  reg_dir=$root/tests/fuzz/regressions/$t
  mapfile -t inputs < <(find "$reg_dir" -maxdepth 1 -type f ! -name README 2>/dev/null | sort)
  if ((${#inputs[@]})); then
    echo "==> $t: replaying ${#inputs[@]} regression input(s)"
    if ! "$bin_dir/$t" "${inputs[@]}" >"$root/build/fuzz/$t.regressions.log" 2>&1; then
      echo "    FAILED: see build/fuzz/$t.regressions.log"
      grep -E '^Running: |ERROR: |SUMMARY: |runtime error|^fuzz_[a-z_]+: ' "$root/build/fuzz/$t.regressions.log" || true
      failed=1
    fi
  fi
done

# --- fuzzing ------------------------------------------------------------------------------------------
for t in "${targets[@]}"; do
  corpus=$work/$t/corpus
  artifacts=$work/$t/artifacts
  log=$work/$t/fuzz.log
  rm -rf "${work:?}/$t"
  mkdir -p "$corpus" "$artifacts"
  cp -r "$root/tests/fuzz/corpus/$t/." "$corpus/"
  seeds=$(find "$corpus" -type f | wc -l)
  echo "==> $t: fuzzing for $seconds s ($seeds seeds)"

  keep_going=()
  [[ ${FUZZ_KEEP_GOING:-0} == 1 ]] && keep_going=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  status=0
  "$bin_dir/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
                "${keep_going[@]}" -dict="$(dict_for "$t")" -artifact_prefix="$artifacts/" "$corpus" \
                >"$log" 2>&1 || status=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  if [[ -z $execs ]]; then  # a crash (or fork mode) skips the final stats; take the last progress line
    execs=$( (grep -oE '^#[0-9]+' "$log" || true) | tail -n 1 | tr -d '#')
    [[ -n $execs ]] && rate="~$((execs / seconds))"
  fi
  cov=$( (grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" || true) | tail -n 1)
  units=$(find "$corpus" -type f | wc -l)

  mapfile -t crashes < <(find "$artifacts" -maxdepth 1 -type f | sort)
  result=ok
  if ((status != 0 || ${#crashes[@]})); then
    result="FAILED (exit $status)"
    grep -E '^ParseDictionaryFile|^ERROR: ' "$log" | head -n 3 || true
    failed=1
    mkdir -p "$root/tests/fuzz/regressions/$t"
    for c in "${crashes[@]}"; do
      cp "$c" "$root/tests/fuzz/regressions/$t/"
      echo "    crash input: tests/fuzz/regressions/$t/$(basename "$c")"
    done
    grep -E 'ERROR: |SUMMARY: |runtime error|fuzz_[a-z_]+: |#[0-9]+ 0x' "$log" | head -n 40 || true
    echo "    full log: $log"
  fi
  summary+=("$(printf '%-22s %12s execs  %8s exec/s  %-20s corpus %4s  %s' "$t" "${execs:-?}" "${rate:-?}" \
                "${cov:-}" "$units" "$result")")
done

echo
echo "==> summary ($seconds s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
