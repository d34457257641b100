#!/usr/bin/env bash
# Planner quality: kakehashi plan-waves on planted instances (optimum known by construction) and
# random ones, beside the greedy fill of today's tools and OR-Tools CP-SAT (PyPI `ortools`, in a
# virtual environment under ~/.cache). Release build. Extra arguments go to wave_planner_bench.py,
# e.g. --sizes 300,1000 --seeds 1 --cpsat-seconds 30, or --no-cpsat.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
scratch="${KAKEHASHI_RELEASE_SCRATCH:-$HOME/.cache/kakehashi-release}"
venv="${KAKEHASHI_BENCH_VENV:-$HOME/.cache/kakehashi-bench-venv}"

(cd "$root" && swift build -c release --product kakehashi --scratch-path "$scratch" 2>&1 | grep -E "error|Compiling|Build complete" | tail -3)
binary="$scratch/release/kakehashi"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'ortools>=9.10,<10'
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
"$venv/bin/python" "$here/wave_planner_bench.py" "$binary" "$@"
