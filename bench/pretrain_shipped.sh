#!/usr/bin/env bash
# Train the pretrained LMs that protulm ships (protulm-small-fwd, protulm-small-bwd): build the default corpus
# (`protulm corpus build`: UniProt + RefSeq proteomes + CATH S40, deduplicated, benchmark test proteins removed, M. leidyi
# and T. maritima held out whole), then train forward and backward LMs at once for SECONDS of training each, one thread
# each on CPU (the one-cycle schedule follows the clock). `--precision auto` is bf16 on a GPU, fp32 on this CPU.
# Usage: bench/pretrain_shipped.sh [WORK_DIR] [SECONDS] [PRESET]
# Then packages both as shipped LMs (`protulm pretrained package`: fp16 weights and a card in protulm/weights/).
# CONTINUE=1: each LM starts from the shipped LM of its direction instead of random weights (`--init`: ULMFiT's LM
# fine-tuning, discriminative rates) in another data order (SEED, default 43), so this run's seconds add to those
# already spent; the card records the LM it continued.
set -euo pipefail
W=${1:-bench/work/shipped}; S=${2:-7200}; P=${3:-small}
BIN=${BIN:-.venv/bin}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} MKL_NUM_THREADS=${MKL_NUM_THREADS:-1}
mkdir -p "$W"
[ -f "$W/corpus/manifest.json" ] || "$BIN/protulm" corpus build --out "$W/corpus" > "$W/corpus.log"
CONTINUE=${CONTINUE:-0}
lm() { # DIRECTION [--backwards]
  [ -f "$W/lm_$1/config.json" ] && { echo "lm_$1: done already"; return; }
  start=(--preset "$P" --seed 42); [ "$CONTINUE" = 1 ] && start=(--init "protulm-$P-$1" --seed "${SEED:-43}")
  "$BIN/protulm" pretrain "$W/corpus" "${start[@]}" --max-seconds "$S" --epochs 1 --precision auto --no-progress \
    --out "$W/lm_$1" "${@:2}" > "$W/lm_$1.log" 2>&1
  tail -1 "$W/lm_$1.log"
}
lm fwd & lm bwd --backwards & wait
for d in fwd bwd; do
  "$BIN/protulm" pretrained package "$W/lm_$d" "protulm-$P-$d" --corpus "$W/corpus" --force \
    --command "PROTULM_DATA=../shared/data CONTINUE=$CONTINUE bench/pretrain_shipped.sh $W $S $P"
done
