#!/usr/bin/env bash
# The task benchmark on the shipped LMs (protulm-small-fwd, protulm-small-bwd, shipped in protulm/weights), every training row, ULMFiT's gradual
# unfreezing (as bench/run_tasks_full.sh), k-mer and phmmer baselines on the same splits; then the same with ULMFiT's LM
# fine-tuning stage first (each LM continues for FT_SECONDS on the task's train+valid sequences, never test).
# Rows are cached under WORK (rerun to resume). Two processes at a time, one thread each (2 cores).
# Usage: bench/run_tasks_shipped.sh [WORK_DIR] [RESULTS_DIR] [TASKS] [FT_SECONDS]   (FT_SECONDS 0: no LM fine-tuning stage)
# STEM names the results (default tasks_shipped); BASELINES='' leaves the baselines out (default kmer,phmmer).
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}; T=${3:-neuropeptide,signalp,scop,remote_homology}; FT=${4:-300}
BIN=${BIN:-.venv/bin}; P=protulm-small
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
ARGS="--n-train 0 --stages 1:1:1,2:1:0.5,3:1:0.25,all:1:0.1 --tasks $T"
S=${STEM:-tasks_shipped}  # the results' file names (and the work directory of their rows)
B="$BIN/protulm bench tasks --work $W/$S --out $R --stem $S $ARGS"
$B --lms fwd=$P-fwd --baselines '' > "$W/shipped_fwd.log" 2>&1 &
$B --lms bwd=$P-bwd --baselines '' > "$W/shipped_bwd.log" 2>&1 &
wait
$B --lms fwd=$P-fwd,bwd=$P-bwd --baselines "${BASELINES-kmer,phmmer}" > "$W/shipped.log" 2>&1
[ "$FT" = 0 ] && exit 0
ft() { # TASK DIRECTION [--backwards]: the shipped LM of that direction fine-tuned on TASK's train+valid sequences
  local d=$W/lm_ft/$1_$2 v; v=$("$BIN/python" -c "from protulm.bench.tasks import TASKS; print(TASKS['$1']['valid'] or '')")
  [ -f "$d/config.json" ] || "$BIN/protulm" pretrain "$1:train" ${v:+"$1:$v"} --init "$P-$2" \
    --max-seconds "$FT" --epochs 1 --no-progress --out "$d" "${@:3}" > "$d.log" 2>&1
}
mkdir -p "$W/lm_ft"
for t in ${T//,/ }; do
  ft "$t" fwd & ft "$t" bwd --backwards & wait
  F="$BIN/protulm bench tasks --work $W/tasks_shipped_lmft --out $R --stem tasks_shipped_lmft $ARGS --tasks $t"
  $F --lms fwd=$W/lm_ft/${t}_fwd --baselines '' > "$W/lmft_fwd_$t.log" 2>&1 &
  $F --lms bwd=$W/lm_ft/${t}_bwd --baselines '' > "$W/lmft_bwd_$t.log" 2>&1 &
  wait
  $F --lms fwd=$W/lm_ft/${t}_fwd,bwd=$W/lm_ft/${t}_bwd --baselines '' >> "$W/lmft.log" 2>&1
done
