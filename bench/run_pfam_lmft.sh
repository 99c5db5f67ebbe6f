#!/usr/bin/env bash
# ULMFiT's LM fine-tuning stage on Pfam (100 families): each shipped LM fine-tuned for one epoch on the Pfam training and
# dev domains (never test), then a classifier with the Pfam recipe's settings (PFAM_CLAS: 512 tokens, batch 32, head 50;
# pfam_stages: 1:1:1,2:1:0.5,3:1:0.25,all:4:0.1), scored on the whole test split; compared with the recipe's classifiers
# (same settings, started from the shipped LMs as they are: bench/results/recipe_pfam_subset.md). Domains are fragments
# of proteins, unlike the whole proteomes the LMs were pretrained on: the case where ULMFiT's stage 2 should matter.
# Both LMs, shipped and fine-tuned, also score the test domains (bits per residue). One job at a time, all threads.
# Bundles are cached under WORK (rerun to resume).
# Usage: bench/run_pfam_lmft.sh [WORK_DIR] [OUT_MD] [DIRECTIONS] [RECIPE_DIR]
set -euo pipefail
W=${1:-bench/work/pfam_lmft}; OUT=${2:-bench/results/pfam_lmft.md}; DIRS=${3:-fwd,bwd}
RECIPE=${4:-bench/work/recipes/pfam_subset_head50}; BIN=${BIN:-.venv/bin}
S7=1:1:1,2:1:0.5,3:1:0.25,all:4:0.1
mkdir -p "$W"
for d in ${DIRS//,/ }; do
  back=(); [ "$d" = bwd ] && back=(--backwards)
  [ -f "$W/lm_ft_$d/config.json" ] || "$BIN/protulm" pretrain pfam_subset:train pfam_subset:valid --init "protulm-small-$d" \
    "${back[@]}" --epochs 1 --valid-pct 0.05 --no-progress --out "$W/lm_ft_$d" > "$W/lm_ft_$d.log" 2>&1
  [ -f "$W/clas_$d/config.json" ] || "$BIN/protulm" finetune pfam_subset:train --valid pfam_subset:valid --encoder "$W/lm_ft_$d" \
    "${back[@]}" --max-len 512 --bs 32 --stages $S7 --no-progress --out "$W/clas_$d" > "$W/clas_$d.log" 2>&1
  [ -f "$W/eval_$d/metrics.json" ] || "$BIN/protulm" evaluate "$W/clas_$d" pfam_subset:test --out "$W/eval_$d" --no-progress > /dev/null
  [ -f "$W/score_$d.csv" ] || "$BIN/protulm" score "protulm-small-$d" "$W/lm_ft_$d" pfam_subset:test --precision fp32 \
    --no-progress --out "$W/score_$d.csv" > /dev/null
done
"$BIN/python" bench/pfam_lmft.py "$W" "$OUT" "$RECIPE"
