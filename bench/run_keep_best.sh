#!/usr/bin/env bash
# `--keep-best` on Pfam (100 families): the Pfam recipe's backward classifier (PFAM_CLAS: 512 tokens, batch 32, head 50;
# pfam_stages: 1:1:1,2:1:0.5,3:1:0.25,all:4:0.1, from protulm-small-bwd), trained again with --keep-best, so it ends with
# the weights of its epoch of lowest validation loss; scored on the whole test split beside the recipe's backward
# classifier, which kept its last epoch (bench/results/recipe_pfam_subset.md). The recipe's bwd validation loss rose in
# its last epoch (0.218 -> 0.282). One job, all threads. Bundles cached under WORK (rerun to resume).
# Usage: bench/run_keep_best.sh [WORK_DIR] [OUT_MD] [RECIPE_DIR]
set -euo pipefail
W=${1:-bench/work/keep_best}; OUT=${2:-bench/results/keep_best.md}; RECIPE=${3:-bench/work/recipes/pfam_subset_head50}
BIN=${BIN:-.venv/bin}
mkdir -p "$W"
[ -f "$W/clas_bwd/config.json" ] || "$BIN/protulm" finetune pfam_subset:train --valid pfam_subset:valid --backwards --max-len 512 \
  --bs 32 --stages 1:1:1,2:1:0.5,3:1:0.25,all:4:0.1 --keep-best --no-progress --out "$W/clas_bwd" > "$W/clas_bwd.log" 2>&1
[ -f "$W/eval_bwd/metrics.json" ] || "$BIN/protulm" evaluate "$W/clas_bwd" pfam_subset:test --out "$W/eval_bwd" --no-progress > /dev/null
"$BIN/python" bench/keep_best.py "$W" "$OUT" "$RECIPE"
