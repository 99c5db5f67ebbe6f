#!/usr/bin/env bash
# Longer fine-tuning on the small KinBase tasks (2,061 training kinases): ULMFiT's gradual unfreezing with 12 epochs of
# the last, all-layer stage at half the base learning rate (1:1:1,2:1:0.5,3:1:0.25,all:12:0.5; 15 epochs) instead of 1
# (4 epochs), on the shipped LMs; k-mer and phmmer on the same splits. Rows cached under WORK/tasks_long.
# Usage: bench/run_tasks_long.sh [WORK_DIR] [RESULTS_DIR] [TASKS]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}; T=${3:-kinbase_group,kinbase_family}
BIN=${BIN:-.venv/bin}; P=protulm-small
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
L="$BIN/protulm bench tasks --work $W/tasks_long --out $R --stem tasks_long --n-train 0 --stages 1:1:1,2:1:0.5,3:1:0.25,all:12:0.5 --tasks $T"
$L --lms fwd=$P-fwd --baselines '' > "$W/long_fwd.log" 2>&1 &
$L --lms bwd=$P-bwd --baselines '' > "$W/long_bwd.log" 2>&1 &
wait
$L --lms fwd=$P-fwd,bwd=$P-bwd --baselines kmer,phmmer > "$W/long.log" 2>&1
