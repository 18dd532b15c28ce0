#!/usr/bin/env bash
# The bulk benchmark: apply against the bundled emulator with Graph-like latency, measured side
# by side in one run against a shell loop of `xtsync set` and a loop of bare curl requests, under
# a write quota against the time that quota allows, and the peak memory of the listings.
#   bench/run.sh
# Environment (defaults in brackets):
#   BENCH_PARTNERS [1000]  partners the applies create and change
#   BENCH_SAMPLE   [100]   partners the set and curl loops run on; their times are scaled to
#                          BENCH_PARTNERS (a loop's time grows linearly, and 1,000 set runs at
#                          50 ms would take minutes)
#   BENCH_LATENCY  [50]    milliseconds the emulator adds to every Graph request
#   BENCH_DELETED  [10000] deleted items list-deleted reads for the memory figure
#   PRESET         [default]
# Wall times come from hyperfine when it is installed (mean of a few runs, for the repeatable
# no-change apply), else from the clock around one run; peak RSS from /usr/bin/time -f %M.
set -euo pipefail
cd "$(dirname "$0")/.."
partners="${BENCH_PARTNERS:-1000}"
sample="${BENCH_SAMPLE:-100}"
latency="${BENCH_LATENCY:-50}"
deleted_count="${BENCH_DELETED:-10000}"
preset="${PRESET:-default}"
scripts/bootstrap.sh "$preset" xtsync xtsync-emulator >/dev/null
bin="$PWD/build/$preset/cmd"
for tool in curl jq /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (Debian packages curl, jq, time)" >&2; exit 2; }
done

work=$(mktemp -d)
pid=
stop_emulator() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
trap 'stop_emulator; rm -rf "$work"' EXIT

# start_emulator ARGS...: a fresh emulator; sets $url and exports what xtsync needs.
start_emulator() {
  stop_emulator
  rm -f "$work/url"
  "$bin/xtsync-emulator" --port 0 -q --request-log-size 0 "$@" >"$work/url" &
  pid=$!
  for _ in $(seq 100); do [[ -s "$work/url" ]] && break; sleep 0.05; done
  url=$(head -n1 "$work/url")
  export XTSYNC_GRAPH_URL=$url XTSYNC_ACCESS_TOKEN=emulator-token XDG_STATE_HOME="$work/state"
}
control() { curl -sf -X "$1" -H 'Content-Type: application/json' ${3:+--data-binary "@$3"} "$url/_emulator$2"; }
reset() { control POST /reset >/dev/null; }
stat_of() { control GET /stats | jq -r ".$1"; }
policy_count() { control GET /state | jq '.policies | length'; }
tenant() { printf '00000000-0000-4000-8000-%012d' "$1"; }

# apply_file FIRST LAST USERSYNC_EVERY: an apply file for tenants FIRST..LAST; every
# USERSYNC_EVERY-th partner (by number) is blocked, the others allowed.
apply_file() {
  local first=$1 last=$2 every=$3 i
  echo "version: 1"
  echo "partners:"
  for ((i = first; i <= last; i++)); do
    local sync=allow
    ((every > 0 && i % every == 0)) && sync=block
    printf '  - tenant: %s\n    displayName: Partner %d\n    userSync: %s\n' "$(tenant "$i")" "$i" "$sync"
  done
}

now_ns() { date +%s%N; }
seconds_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-1}" 'BEGIN { printf "%.*f", d, a / b }'; }
# wall_of CMD...: seconds for one run (hyperfine's mean of 5 when installed).
wall_of() {
  if command -v hyperfine >/dev/null; then
    hyperfine --runs 5 --export-json "$work/h.json" --style none "$(printf '%q ' "$@")" >/dev/null
    jq -r '.results[0].mean | . * 1000 | round / 1000' "$work/h.json"
  else
    local t0; t0=$(now_ns)
    "$@" >/dev/null
    seconds_since "$t0"
  fi
}
peak_kib() { /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1; tail -n1 "$work/rss"; }

echo "==> machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "==> emulator latency ${latency} ms per Graph request; ${partners} partners; loops sampled on ${sample}"

# --- apply vs loops -------------------------------------------------------------------------
start_emulator --latency "$latency"
apply_file 1 "$partners" 0 >"$work/create.yaml"
t0=$(now_ns)
"$bin/xtsync" apply -f "$work/create.yaml" --create-partners -q >/dev/null
t_apply=$(seconds_since "$t0")
[[ $(policy_count) == "$partners" ]] || { echo "apply did not create $partners policies" >&2; exit 1; }
writes_create=$(stat_of writes)

apply_file 1 "$partners" 2 >"$work/change.yaml"  # every second partner now blocked
t0=$(now_ns)
"$bin/xtsync" apply -f "$work/change.yaml" -q >/dev/null
t_change=$(seconds_since "$t0")
writes_before=$(stat_of writes)
t_nochange=$(wall_of "$bin/xtsync" apply -f "$work/change.yaml" -q)
writes_nochange=$(($(stat_of writes) - writes_before))

reset
t0=$(now_ns)
for ((i = 1; i <= sample; i++)); do
  "$bin/xtsync" set "$(tenant $((100000 + i)))" --create-partner --display-name "Partner $i" --user-sync allow -q >/dev/null
done
t_set_sample=$(seconds_since "$t0")
[[ $(policy_count) == "$sample" ]] || { echo "the set loop did not create $sample policies" >&2; exit 1; }

reset
t0=$(now_ns)
for ((i = 1; i <= sample; i++)); do
  t=$(tenant $((200000 + i)))
  curl -sf -o /dev/null -X POST -H 'Authorization: Bearer emulator-token' -H 'Content-Type: application/json' \
    --data "{\"tenantId\":\"$t\"}" "$url/beta/policies/crossTenantAccessPolicy/partners"
  curl -sf -o /dev/null -X PUT -H 'Authorization: Bearer emulator-token' -H 'Content-Type: application/json' \
    --data "{\"displayName\":\"Partner $i\",\"userSyncInbound\":{\"isSyncAllowed\":true}}" \
    "$url/beta/policies/crossTenantAccessPolicy/partners/$t/identitySynchronization"
done
t_curl_sample=$(seconds_since "$t0")
[[ $(policy_count) == "$sample" ]] || { echo "the curl loop did not create $sample policies" >&2; exit 1; }
t_set=$(awk -v t="$t_set_sample" -v n="$partners" -v s="$sample" 'BEGIN { printf "%.1f", t * n / s }')
t_curl=$(awk -v t="$t_curl_sample" -v n="$partners" -v s="$sample" 'BEGIN { printf "%.1f", t * n / s }')

# --- under a write quota --------------------------------------------------------------------
quota_partners=200 quota_n=100 quota_s=5
start_emulator --latency "$latency" --write-quota "$quota_n/$quota_s"
apply_file 1 "$quota_partners" 0 >"$work/quota.yaml"
t0=$(now_ns)
"$bin/xtsync" apply -f "$work/quota.yaml" --create-partners -q >/dev/null
t_quota=$(seconds_since "$t0")
[[ $(policy_count) == "$quota_partners" ]] || { echo "the quota apply did not finish" >&2; exit 1; }
quota_writes=$((2 * quota_partners))  # each partner: its configuration, then its policy
t_bound=$(awk -v w="$quota_writes" -v n="$quota_n" -v s="$quota_s" 'BEGIN { printf "%.1f", (w - n) * s / n }')
early=$(stat_of earlyRetries)
throttled=$(stat_of throttled)

# --- peak memory of the listings ------------------------------------------------------------
start_emulator
# Seeded 2,000 at a time: the emulator takes request bodies up to 1 MiB.
for ((first = 1; first <= deleted_count; first += 2000)); do
  jq -n --argjson a "$first" --argjson b "$((first + 1999 < deleted_count ? first + 1999 : deleted_count))" \
    '{deleted: [range($a; $b + 1) | {tenantId: ("00000000-0000-4000-8000-" + ("000000000000" + tostring)[-12:]),
                                     displayName: ("Deleted " + tostring), deletedDateTime: "2026-01-01T00:00:00Z"}]}' \
    >"$work/deleted.json"
  control POST /seed "$work/deleted.json" >/dev/null || { echo "seeding deleted items failed" >&2; exit 1; }
done
rss_deleted=$(peak_kib "$bin/xtsync" list-deleted -o json)
count=$("$bin/xtsync" list-deleted -o json | jq length)
[[ $count == "$deleted_count" ]] || { echo "list-deleted returned $count of $deleted_count" >&2; exit 1; }
reset
"$bin/xtsync" apply -f "$work/create.yaml" --create-partners -q >/dev/null
rss_list=$(peak_kib "$bin/xtsync" list -o json)
rss_export=$(peak_kib "$bin/xtsync" export)
rss_get=$(peak_kib "$bin/xtsync" get "$(tenant 1)")

# --- report ---------------------------------------------------------------------------------
echo
printf '%-58s %10s\n' "measurement" "value"
printf '%-58s %9ss\n' "apply: create $partners partners (--create-partners, $writes_create writes)" "$t_apply"
printf '%-58s %9ss\n' "loop of xtsync set --create-partner (scaled from $sample)" "$t_set"
printf '%-58s %9ss\n' "loop of curl POST + PUT (scaled from $sample)" "$t_curl"
printf '%-58s %9sx  (target >= 40)\n' "  set loop / apply" "$(ratio "$t_set" "$t_apply")"
printf '%-58s %9sx  (target >= 20)\n' "  curl loop / apply" "$(ratio "$t_curl" "$t_apply")"
printf '%-58s %9ss\n' "apply: change $((partners / 2)) of them" "$t_change"
printf '%-58s %9ss  (target < 1 s, 0 writes)\n' "apply: no change ($writes_nochange writes)" "$t_nochange"
printf '%-58s %9ss\n' "apply under --write-quota $quota_n/$quota_s: $quota_partners partners, $quota_writes writes" "$t_quota"
printf '%-58s %9ss\n' "  time the quota allows for those writes" "$t_bound"
printf '%-58s %9sx  (target <= 1.25)\n' "  apply / quota bound" "$(ratio "$t_quota" "$t_bound" 2)"
printf '%-58s %10s  (target 0)\n' "  writes sent before their Retry-After ($throttled throttled)" "$early"
printf '%-58s %7s KiB  (target <= 10240)\n' "peak RSS: list-deleted -o json, $deleted_count deleted" "$rss_deleted"
printf '%-58s %7s KiB  (target <= 10240)\n' "peak RSS: list -o json, $partners partners" "$rss_list"
printf '%-58s %7s KiB  (target <= 10240)\n' "peak RSS: export, $partners partners" "$rss_export"
printf '%-58s %7s KiB\n' "peak RSS: get" "$rss_get"
echo
echo "command: BENCH_PARTNERS=$partners BENCH_SAMPLE=$sample BENCH_LATENCY=$latency BENCH_DELETED=$deleted_count bench/run.sh"
