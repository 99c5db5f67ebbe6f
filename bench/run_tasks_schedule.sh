#!/usr/bin/env bash
# finetune's default schedule (`protulm.classifier.default_stages`: ULMFiT's gradual unfreezing, the all-layer stage
# given the epochs to see 24,000 training sequences) on the tasks where it differs from the 4-epoch schedule of
# tasks_shipped: fwd and bwd at once (one thread each), then the ensemble. The k-mer and phmmer rows are tasks_shipped's,
# copied (identical splits; phmmer only where tasks_shipped has it). Rows cached under WORK/tasks_schedule.
# Usage: bench/run_tasks_schedule.sh [WORK_DIR] [RESULTS_DIR] [TASKS]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}; T=${3:-neuropeptide,kinbase_group}
BIN=${BIN:-.venv/bin}; P=protulm-small
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for t in ${T//,/ }; do
  mkdir -p "$W/tasks_schedule/$t"
  for b in kmer phmmer; do [ ! -f "$W/tasks_shipped/$t/$b.json" ] || cp -n "$W/tasks_shipped/$t/$b.json" "$W/tasks_schedule/$t/"; done
done
S=("$BIN/protulm" bench tasks --work "$W/tasks_schedule" --out "$R" --stem tasks_schedule --n-train 0 --stages "")
"${S[@]}" --tasks "$T" --lms fwd=$P-fwd --baselines "" > "$W/schedule_fwd.log" 2>&1 &
"${S[@]}" --tasks "$T" --lms bwd=$P-bwd --baselines "" > "$W/schedule_bwd.log" 2>&1 &
wait
for t in ${T//,/ }; do
  b=kmer; [ ! -f "$W/tasks_schedule/$t/phmmer.json" ] || b=kmer,phmmer
  "${S[@]}" --tasks "$t" --lms fwd=$P-fwd,bwd=$P-bwd --baselines "$b" >> "$W/schedule.log" 2>&1
done
