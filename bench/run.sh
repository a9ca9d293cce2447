#!/usr/bin/env bash
# Runs the benchmark (see run.mjs for options):
#   bash bench/run.sh --scaling  full run and the phpdocs scaling table (make
#                                bench; < 20 min on 2 cores): BENCHMARKS.md,
#                                bench/results/{results.json,chart.png}
#   bash bench/run.sh            full run without the scaling table
#   bash bench/run.sh --smoke    unit checks of the metric code, then seeds
#                                only, Quarry + lunr, 1 run, and the scaling
#                                code on 2 seed articles (< 2 min); exits
#                                non-zero if anything fails to load or answer
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
for a in "$@"; do
  if [ "$a" = "--smoke" ]; then node --test "$dir/test/"; fi
done
exec node "$dir/run.mjs" "$@"
