#!/usr/bin/env bash
# The procurement checks on a 100-page specification (.docx and .md) and a 2,000-line estimate
# (.xlsx and .csv), generated with a seed: wall and CPU time (median of 5 runs) and peak memory of
# `kakehashi review-spec` and `kakehashi check-estimate`, and the findings they report. Release build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
scratch="${KAKEHASHI_RELEASE_SCRATCH:-$HOME/.cache/kakehashi-release}"
work=$(mktemp -d /tmp/kakehashi-procurement-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

(cd "$root" && swift build -c release --product kakehashi --scratch-path "$scratch" 2>&1 | grep -E "error|complete" | tail -2) || true
kakehashi="$scratch/release/kakehashi"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
python3 "$here/procurement_corpus.py" "$work" 7

# Median wall and CPU seconds and the largest peak memory of five runs.
measure() {
    : >"$work/times"
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>/dev/null || true
        tail -1 "$work/time" >>"$work/times"
    done
    python3 - "$work/times" <<'PY'
import statistics, sys
runs = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
print(f"{statistics.median(r[0] for r in runs):.3f} s wall, {statistics.median(r[1] + r[2] for r in runs):.3f} s CPU (median of 5), "
      f"{max(r[3] for r in runs) / 1024:.0f} MiB peak", end="")
PY
}
summary() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); k = sys.argv[2]; print("%d findings over %d %s" % (len(r["findings"]), r[k], k))' "$work/out" "$1"; }

for file in spec-100-pages.docx spec-100-pages.md; do
    printf "review-spec    %-26s %s, " "$file" "$(measure "$kakehashi" review-spec "$work/$file" --format json)"
    summary paragraphs
done
for file in estimate-2000-lines.xlsx estimate-2000-lines.csv; do
    printf "check-estimate %-26s %s, " "$file" "$(measure "$kakehashi" check-estimate "$work/$file" --format json)"
    summary lines
done
printf "cold start (review-spec of the sample) %s\n" "$(measure "$kakehashi" review-spec "$root/Sources/KakehashiServer/Resources/Procurement/Samples/spec-reservation.md")"
