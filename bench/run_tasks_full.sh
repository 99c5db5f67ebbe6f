#!/usr/bin/env bash
# The headline task benchmark: every training row of each task and ULMFiT's full gradual-unfreezing schedule
# (head 1 epoch, freeze_to(-2) 1, freeze_to(-3) 1, everything 1: ULMFiT's stages, one epoch shorter to fit 2 CPU cores), on the LMs of bench/pretrain_lms.sh; baselines on the
# same full splits. Rows are cached under $W/tasks_full (rerun to resume). Usage: bench/run_tasks_full.sh [WORK_DIR] [RESULTS_DIR]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}
BIN=${BIN:-.venv/bin}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
F="$BIN/protulm bench tasks --work $W/tasks_full --out $R --stem tasks_full --n-train 0 --stages 1:1:1,2:1:0.5,3:1:0.25,all:1:0.1"
while [ ! -f "$W/lm_u8000/config.json" ]; do sleep 20; done
$F --lms fwd=$W/lm_fwd --baselines '' > "$W/full_a.log" 2>&1 &
while pgrep -f bench/run_tasks.sh > /dev/null; do sleep 20; done   # one process more only when the quick run is done
# remote homology last: the costliest task, and the one the capped run already shows at the floor
$F --lms bwd=$W/lm_bwd --baselines kmer,phmmer --tasks scop,signalp,neuropeptide,remote_homology > "$W/full_b.log" 2>&1 &
wait
$F --lms fwd=$W/lm_fwd,bwd=$W/lm_bwd --baselines kmer,phmmer
