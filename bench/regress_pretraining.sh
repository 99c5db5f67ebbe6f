#!/usr/bin/env bash
# What pretraining is worth on stability: a forward regressor from an LM that has seen almost nothing (the small preset
# trained 1 second, a few batches: as good as untrained), beside regress_stability.md's forward regressor from the
# shipped protulm-small-fwd, same training rows, settings and test split.
# usage: PROTULM_DATA=... bench/regress_pretraining.sh WORK [OUT.md]   (WORK: regress_stability.py's, holding train.csv and reg_fwd; OUT.md: the table, default WORK/regress_pretraining.md)
set -euo pipefail
W=$1; BIN=${BIN:-.venv/bin}
[ -d "$W/lm_1s" ] || "$BIN/protulm" pretrain "$W/train.csv" --preset small --max-seconds 1 --no-progress --out "$W/lm_1s"
[ -d "$W/reg_fwd_1s" ] || "$BIN/protulm" regress finetune "$W/train.csv" --valid stability:valid --encoder "$W/lm_1s" --out "$W/reg_fwd_1s" --no-progress
for m in reg_fwd reg_fwd_1s; do "$BIN/protulm" regress evaluate "$W/$m" stability:test --out "$W/eval_$m"; done
"$BIN/python" bench/regress_pretraining_report.py "$W" "${2:-$W/regress_pretraining.md}"
