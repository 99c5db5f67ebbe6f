#!/usr/bin/env bash
# ULMFiT + a baseline through the commands a user runs (not the bench harness): fit the baseline (B: hmm, the
# default, kmer or phmmer) once and save it (`baseline B --save`), predict again from the saved model, blend it with the
# two ULMFiT classifiers of the bench run S (default tasks_blend; `ensemble --valid`: weights fit on the validation
# rows), evaluate and predict. Where the validation split has no more than the harness's 500 rows, the figures should
# equal S's `ulmfit ensemble + B` row (same classifiers, same baseline, same weights).
# Usage: PROTULM_DATA=... [B=hmm] [S=tasks_blend] bench/run_user_blend.sh [WORK_DIR] [TASK]   (needs WORK_DIR/S/TASK/clas_{fwd,bwd})
set -euo pipefail
W=${1:-bench/work}; T=${2:-kinbase_family}; B=${B:-hmm}; S=${S:-tasks_blend}
P=${BIN:-.venv/bin}/protulm; O=$W/user_blend/$T$([ "$B" = hmm ] || echo "_$B"); C=$W/$S/$T
rm -rf "$O"; mkdir -p "$O"
t() { local name=$1; shift; /usr/bin/time -f "$name %e s wall, %M KiB peak" -a -o "$O/times.txt" "$@"; }
t fit       "$P" baseline "$B" "$T:train" "$T:test" --save "$O/$B" --out "$O/${B}_fit.csv"
t loaded    "$P" baseline "$B" "$O/$B" "$T:test" --out "$O/${B}_loaded.csv"
t ensemble  "$P" ensemble "$C/clas_fwd" "$C/clas_bwd" "$O/$B" --valid "$T:valid" --out "$O/ens.json"
t evaluate  "$P" evaluate "$O/ens.json" "$T:test" --out "$O/eval" --precision fp32 --no-progress
t predict   "$P" predict "$O/ens.json" "$T:test" --out "$O/pred.csv" --precision fp32 --no-progress
cat "$O/times.txt"
