#!/usr/bin/env bash
# The classifier's head and schedule on the task where ULMFiT loses most (Pfam, 100 families): forward classifiers from
# the shipped LM with the task benchmark's settings (bs 32, max_len 512, ULMFiT's 4-epoch schedule as in tasks_shipped),
# changing one thing at a time: balanced class weights in the loss (--weighted), a head 512 wide instead of 50
# (--lin-ftrs 512), and 4 epochs of the all-layer stage instead of 1; each scored on the whole test split. Then the wide
# head on remote homology (1,195 folds) through the task harness. The 50-wide, 4-epoch rows are tasks_shipped's.
# Bundles are cached under WORK (rerun to resume). Two processes at a time, one thread each (2 cores), longest first.
# Usage: bench/run_clas_head.sh [WORK_DIR] [OUT_MD]
set -euo pipefail
W=${1:-bench/work/clas_head}; OUT=${2:-bench/results/clas_head.md}; BIN=${BIN:-.venv/bin}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
S4=1:1:1,2:1:0.5,3:1:0.25,all:1:0.1; S7=1:1:1,2:1:0.5,3:1:0.25,all:4:0.1
ft() { # NAME FINETUNE_OPTIONS...: a forward Pfam classifier in WORK/NAME, then its test report in WORK/eval_NAME
  [ -f "$W/$1/config.json" ] || "$BIN/protulm" finetune pfam_subset:train --valid pfam_subset:valid --max-len 512 --bs 32 \
    --no-progress --out "$W/$1" "${@:2}" > "$W/$1.log" 2>&1
  [ -f "$W/eval_$1/metrics.json" ] || "$BIN/protulm" evaluate "$W/$1" pfam_subset:test --out "$W/eval_$1" --no-progress > /dev/null
}
rh() { # the wide head on remote homology through the task harness (row cached in WORK/tasks)
  "$BIN/protulm" bench tasks --work "$W/tasks" --out "$W/tasks" --stem remote_homology_wide --n-train 0 --stages $S4 \
    --tasks remote_homology --lms fwd=protulm-small-fwd --baselines '' --lin-ftrs 512 > "$W/remote_homology_wide.log" 2>&1
}
mkdir -p "$W"
# two at a time, longest first: each job starts when a slot frees
jobs=("ft long --stages $S7" "ft wide512_long --stages $S7 --lin-ftrs 512" "ft wide512 --stages $S4 --lin-ftrs 512" rh
      "ft weighted --stages $S4 --weighted")
for j in "${jobs[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || true; done
  $j &
done
wait
"$BIN/python" bench/clas_head.py "$W" "$OUT"
