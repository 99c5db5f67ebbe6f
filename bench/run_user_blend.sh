#!/usr/bin/env bash
# ULMFiT + profile HMMs through the commands a user runs (not the bench harness): fit the profile HMMs once and save
# them (`baseline hmm --save`), predict again from the saved model, blend them with the two ULMFiT classifiers of
# tasks_blend (`ensemble --valid`: weights fit on the validation kinases), evaluate and predict. The figures should equal
# tasks_blend's `ulmfit ensemble + hmm` row (same classifiers, same HMMs, same weights).
# Usage: PROTULM_DATA=... bench/run_user_blend.sh [WORK_DIR] [TASK]   (needs WORK_DIR/tasks_blend/TASK/clas_{fwd,bwd})
set -euo pipefail
W=${1:-bench/work}; T=${2:-kinbase_family}
P=${BIN:-.venv/bin}/protulm; O=$W/user_blend/$T; C=$W/tasks_blend/$T
rm -rf "$O"; mkdir -p "$O"
t() { local name=$1; shift; /usr/bin/time -f "$name %e s wall, %M KiB peak" -a -o "$O/times.txt" "$@"; }
t fit       "$P" baseline hmm "$T:train" "$T:test" --save "$O/hmm" --out "$O/hmm_fit.csv"
t loaded    "$P" baseline hmm "$O/hmm" "$T:test" --out "$O/hmm_loaded.csv"
t ensemble  "$P" ensemble "$C/clas_fwd" "$C/clas_bwd" "$O/hmm" --valid "$T:valid" --out "$O/ens.json"
t evaluate  "$P" evaluate "$O/ens.json" "$T:test" --out "$O/eval" --precision fp32 --no-progress
t predict   "$P" predict "$O/ens.json" "$T:test" --out "$O/pred.csv" --precision fp32 --no-progress
cat "$O/times.txt"
