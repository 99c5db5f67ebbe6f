#!/usr/bin/env bash
# The full task benchmark and tokenizer study, after bench/pretrain_lms.sh. Two processes with one thread each share the
# 2 cores; every (task, method) row is cached under $W/tasks, so a killed run resumes where it stopped.
# Usage: bench/run_tasks.sh [WORK_DIR] [RESULTS_DIR]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}
BIN=${BIN:-.venv/bin}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
wait_for() { while [ ! -f "$W/$1/config.json" ]; do sleep 20; done; }
T="$BIN/protulm bench tasks --work $W/tasks --out $R"
S="$BIN/protulm bench tokenizers --work $W/tasks --out $R"
wait_for lm_u1000
# A: forward classifiers on every task, then the 100- and 8,000-piece study rows
( $T --lms fwd=$W/lm_fwd --baselines '' && $S --lms u100=$W/lm_u100 && wait_for lm_u8000 && $S --lms u8000=$W/lm_u8000 ) > "$W/run_a.log" 2>&1 &
wait_for lm_u8000
# B: backward classifiers and the baselines, then the 1,000-piece study rows
( $T --lms bwd=$W/lm_bwd --baselines kmer,phmmer && $S --lms u1000=$W/lm_u1000 ) > "$W/run_b.log" 2>&1 &
wait
# the ensembles (from the cached fwd/bwd rows), then every table and chart
$T --lms fwd=$W/lm_fwd,bwd=$W/lm_bwd --baselines kmer,phmmer
$S --lms residue=$W/lm_fwd,u100=$W/lm_u100,u1000=$W/lm_u1000,u8000=$W/lm_u8000
