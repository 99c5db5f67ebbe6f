#!/usr/bin/env bash
# finetune's default schedule (`protulm.classifier.default_stages`: ULMFiT's gradual unfreezing, the all-layer stage
# lengthened on tasks under 12,000 rows to see 24,000 training sequences at half the base rate; ULMFiT's own, 2 epochs
# of every layer at a tenth of the rate, on larger ones), beside the 4-epoch schedule of tasks_shipped; or, with
# STAGES and STEM, any other stages. fwd and bwd at once
# (one thread each), then the ensemble. The k-mer and phmmer rows are tasks_shipped's, copied (identical splits; phmmer
# only where tasks_shipped has it). Rows cached under WORK/STEM. N_TRAIN (default 0: every row) caps the training rows
# as tasks_shipped did: N_TRAIN=5000 for scl2205 (bench/run_tasks_real.sh).
# BLEND=hmm (or kmer) also runs that baseline and averages its probabilities with the ensemble's members (`--blend`).
# Usage: [N_TRAIN=n] [BLEND=b] bench/run_tasks_schedule.sh [WORK_DIR] [RESULTS_DIR] [TASKS] [STAGES ('': the default)] [STEM]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}; T=${3:-neuropeptide,kinbase_group,kinbase_family}; ST=${4:-}; N=${5:-tasks_schedule}
BIN=${BIN:-.venv/bin}; P=protulm-small
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
for t in ${T//,/ }; do
  mkdir -p "$W/$N/$t"
  for b in kmer phmmer; do [ ! -f "$W/tasks_shipped/$t/$b.json" ] || cp -n "$W/tasks_shipped/$t/$b.json" "$W/$N/$t/"; done
done
S=("$BIN/protulm" bench tasks --work "$W/$N" --out "$R" --stem "$N" --n-train "${N_TRAIN:-0}" --stages "$ST")
"${S[@]}" --tasks "$T" --lms fwd=$P-fwd --baselines "" > "$W/${N}_fwd.log" 2>&1 &
"${S[@]}" --tasks "$T" --lms bwd=$P-bwd --baselines "" > "$W/${N}_bwd.log" 2>&1 &
wait
for t in ${T//,/ }; do
  b=kmer; [ ! -f "$W/$N/$t/phmmer.json" ] || b=kmer,phmmer
  [ -z "${BLEND:-}" ] || [ "$BLEND" = kmer ] || b="$b,$BLEND"
  "${S[@]}" --tasks "$t" --lms fwd=$P-fwd,bwd=$P-bwd --baselines "$b" --blend "${BLEND:-}" >> "$W/$N.log" 2>&1
done
