#!/usr/bin/env bash
# `--keep-best` on Pfam (100 families): the Pfam recipe's two classifiers (PFAM_CLAS: 512 tokens, batch 32, head 50;
# pfam_stages: 1:1:1,2:1:0.5,3:1:0.25,all:4:0.1, from protulm-small-fwd and protulm-small-bwd), trained again with
# --keep-best, so each ends with the weights of its epoch of lowest validation loss; scored with their ensemble (weights
# fit on the dev split) on the whole test split beside the recipe's classifiers, which kept their last epoch (bench/results/recipe_pfam_subset.md).
# The recipe's validation losses rose in their last epoch (fwd 0.104 -> 0.113, bwd 0.218 -> 0.282). One job at a time,
# all threads. Bundles cached under WORK (rerun to resume).
# Usage: bench/run_keep_best.sh [WORK_DIR] [OUT_MD] [RECIPE_DIR]
set -euo pipefail
W=${1:-bench/work/keep_best}; OUT=${2:-bench/results/keep_best.md}; RECIPE=${3:-bench/work/recipes/pfam_subset_head50}
BIN=${BIN:-.venv/bin}
mkdir -p "$W"
for d in fwd bwd; do
  flag=(); [ "$d" = bwd ] && flag=(--backwards)
  [ -f "$W/clas_$d/config.json" ] || "$BIN/protulm" finetune pfam_subset:train --valid pfam_subset:valid "${flag[@]}" \
    --max-len 512 --bs 32 --stages 1:1:1,2:1:0.5,3:1:0.25,all:4:0.1 --keep-best --no-progress --out "$W/clas_$d" \
    > "$W/clas_$d.log" 2>&1
done
[ -f "$W/ensemble.json" ] || "$BIN/protulm" ensemble "$W/clas_fwd" "$W/clas_bwd" --valid pfam_subset:valid \
  --out "$W/ensemble.json" > /dev/null  # weights fit on the dev split, as the recipe fits its ensemble's
[ -f "$W/eval/metrics.json" ] || "$BIN/protulm" evaluate "$W/ensemble.json" pfam_subset:test --out "$W/eval" \
  --no-progress > /dev/null
for r in recipe keep_best; do  # both pairs once more with equal weights: the fitted weights minimise validation log loss
  d=$W; [ "$r" = recipe ] && d=$RECIPE
  [ -f "$W/eval_equal_$r/metrics.json" ] || "$BIN/protulm" evaluate "$d/clas_fwd" "$d/clas_bwd" pfam_subset:test \
    --out "$W/eval_equal_$r" --no-progress > /dev/null
done
"$BIN/python" bench/keep_best.py "$W" "$OUT" "$RECIPE"
