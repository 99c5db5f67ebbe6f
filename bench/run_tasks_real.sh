#!/usr/bin/env bash
# The real Pfam, kinase and localisation tasks (pfam_subset, kinbase_group, kinbase_family, scl2205) added to the task
# benchmark on the shipped LMs (protulm-small-fwd/-bwd): same cache, stem and protocol as bench/run_tasks_shipped.sh, so
# bench/results/tasks_shipped.{md,csv,png} covers every task. ULMFiT's gradual unfreezing; k-mer and phmmer on the same
# splits. Every training row of Pfam and KinBase; SCL2205 keeps 5,000 of its 15,183 training proteins (its TASKS cap:
# 500-residue proteins cost 2 CPU cores about 2 hours per direction in full). The two ULMFiT directions run at once, one
# thread each (2 cores); the baselines run beside them at the lowest priority. Rows are cached under WORK (rerun to resume).
# Usage: bench/run_tasks_real.sh [WORK_DIR] [RESULTS_DIR]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}
BIN=${BIN:-.venv/bin}; P=protulm-small
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$W"
B="$BIN/protulm bench tasks --work $W/tasks_shipped --out $R --stem tasks_shipped --stages 1:1:1,2:1:0.5,3:1:0.25,all:1:0.1"
FULL="--tasks kinbase_group,kinbase_family,pfam_subset --n-train 0"; CAP="--tasks scl2205 --n-train 5000"
run() { $B $FULL "$@" && $B $CAP "$@"; }
run --lms fwd=$P-fwd --baselines '' > "$W/real_fwd.log" 2>&1 &
run --lms bwd=$P-bwd --baselines '' > "$W/real_bwd.log" 2>&1 &
(nice -n 19 $B $FULL --lms '' --baselines kmer,phmmer && nice -n 19 $B $CAP --lms '' --baselines kmer,phmmer) > "$W/real_baselines.log" 2>&1 &
wait
run --lms fwd=$P-fwd,bwd=$P-bwd --baselines kmer,phmmer > "$W/real.log" 2>&1
