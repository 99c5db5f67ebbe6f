#!/usr/bin/env bash
# `protulm recipe regress` on real data, as a user runs it: TAPE stability with N training designs drawn at random
# (seed 0) from its 53,614, the dataset's own validation and test splits, the shipped LMs and every default. Writes the
# run (regressor bundles, ensemble.json, eval/, results.md, submission.csv) to WORK_DIR/run_N.
# Usage: bench/recipe_regress_stability.sh [WORK_DIR] [N]
set -euo pipefail
W=${1:-bench/work/recipe_regress}; N=${2:-5000}
BIN=${BIN:-.venv/bin}
mkdir -p "$W"
"$BIN/python" -c "import sys; from protulm.data import load_dataset
load_dataset('stability', 'train').sample($N, random_state=0).to_csv(sys.argv[1], index=False)" "$W/train_$N.csv"
"$BIN/protulm" recipe regress "$W/train_$N.csv" --valid stability:valid --test stability:test --out "$W/run_$N" --no-progress --force
