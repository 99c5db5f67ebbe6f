#!/usr/bin/env bash
# The real Pfam, kinase and localisation tasks (pfam_subset, kinbase_group, kinbase_family, scl2205) added to the task
# benchmark on the shipped LMs (protulm-small-fwd/-bwd): same cache, stem and protocol as bench/run_tasks_shipped.sh, so
# bench/results/tasks_shipped.{md,csv,png} covers every task. Every training row; ULMFiT's gradual unfreezing; k-mer and
# phmmer on the same splits. The two ULMFiT directions run at once, one thread each (2 cores); the baselines run beside
# them at the lowest priority. Rows are cached under WORK (rerun to resume).
# Usage: bench/run_tasks_real.sh [WORK_DIR] [RESULTS_DIR] [TASKS]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}; T=${3:-kinbase_group,kinbase_family,pfam_subset,scl2205}
BIN=${BIN:-.venv/bin}; P=protulm-small
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$W"
B="$BIN/protulm bench tasks --work $W/tasks_shipped --out $R --stem tasks_shipped --n-train 0 --stages 1:1:1,2:1:0.5,3:1:0.25,all:1:0.1 --tasks $T"
$B --lms fwd=$P-fwd --baselines '' > "$W/real_fwd.log" 2>&1 &
$B --lms bwd=$P-bwd --baselines '' > "$W/real_bwd.log" 2>&1 &
nice -n 19 $B --lms '' --baselines kmer,phmmer > "$W/real_baselines.log" 2>&1 &
wait
$B --lms fwd=$P-fwd,bwd=$P-bwd --baselines kmer,phmmer > "$W/real.log" 2>&1
