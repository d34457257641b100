#!/usr/bin/env bash
# The security baseline beside Checkov (PyPI `checkov`, in a virtual environment under ~/.cache):
# on seeded CloudFormation corpora of 100, 1,000 and 4,000 resources and on the hand-written
# fixtures (Tests/fixtures/baseline), both tools' results compared per (resource, Checkov check)
# for every rule that names a peer, then CPU time, peak memory and cold start of each. Release build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
scratch="${KAKEHASHI_RELEASE_SCRATCH:-$HOME/.cache/kakehashi-release}"
venv="${KAKEHASHI_CHECKOV_VENV:-$HOME/.cache/kakehashi-checkov-venv}"
work=$(mktemp -d /tmp/kakehashi-baseline-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

(cd "$root" && swift build -c release --product kakehashi --scratch-path "$scratch" 2>&1 | grep -E "error|complete" | tail -2) || true
kakehashi="$scratch/release/kakehashi"
if [ ! -x "$venv/bin/checkov" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet checkov
fi
checkov=("$venv/bin/checkov" --skip-download --compact -o json)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $("$venv/bin/checkov" --version 2>/dev/null | tail -1 | sed 's/^/checkov /')"

# CPU seconds (user + system) and peak resident memory of one run.
measure() { /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >"$work/out" 2>/dev/null || true; tail -1 "$work/time" | awk '{printf "%.2f s CPU, %.0f MiB", $1 + $2, $3 / 1024}'; }

for size in 100 1000 4000; do
    python3 "$here/baseline_corpus.py" "$work/corpus-$size" "$size"
done
mkdir -p "$work/realistic" && cp "$root"/Tests/fixtures/baseline/web-app.yaml "$work/realistic/"

echo
echo "== parity (per resource and Checkov check, for rules naming a peer)"
for set in corpus-100 corpus-1000 corpus-4000 realistic; do
    "$kakehashi" check "$work/$set" >"$work/k.json" || true
    "${checkov[@]}" -d "$work/$set" --framework cloudformation >"$work/c.json" 2>/dev/null || true
    echo "-- $set"
    python3 "$here/baseline_parity.py" "$work/k.json" "$work/c.json"
done
echo "-- Terraform plan (Tests/fixtures/baseline/network.json)"
"$kakehashi" check "$root/Tests/fixtures/baseline/network.json" >"$work/k.json" || true
"${checkov[@]}" -f "$root/Tests/fixtures/baseline/network.json" --framework terraform_plan >"$work/c.json" 2>/dev/null || true
python3 "$here/baseline_parity.py" "$work/k.json" "$work/c.json"

echo
echo "== speed (CPU time and peak memory; the same files, every rule each tool ships for CloudFormation)"
printf "%-12s %-28s %-28s %s\n" "corpus" "kakehashi check" "checkov" "CPU ratio"
for size in 100 1000 4000; do
    k=$(measure "$kakehashi" check "$work/corpus-$size")
    c=$(measure "${checkov[@]}" -d "$work/corpus-$size" --framework cloudformation)
    ratio=$(python3 -c "import sys; a=float(sys.argv[1].split()[0]); b=float(sys.argv[2].split()[0]); print(f'{b/max(a,0.01):.0f}×')" "$k" "$c")
    printf "%-12s %-28s %-28s %s\n" "$size" "$k" "$c" "$ratio"
done
echo '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket"}}}' >"$work/one.json"
echo "cold start (one resource): kakehashi $(measure "$kakehashi" check "$work/one.json"), wall $( { /usr/bin/time -f %e "$kakehashi" check "$work/one.json" >/dev/null; } 2>&1 | tail -1) s;" \
     "checkov $(measure "${checkov[@]}" -f "$work/one.json" --framework cloudformation), wall $( { /usr/bin/time -f %e "${checkov[@]}" -f "$work/one.json" --framework cloudformation >/dev/null; } 2>&1 | tail -1) s"
