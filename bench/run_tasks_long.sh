#!/usr/bin/env bash
# Longer fine-tuning on the small KinBase tasks (2,061 training kinases): ULMFiT's gradual unfreezing with 12 epochs of
# the last, all-layer stage at half the base learning rate (1:1:1,2:1:0.5,3:1:0.25,all:12:0.5; 15 epochs) instead of 1
# (4 epochs), on the shipped LMs; the k-mer rows are tasks_shipped's, copied. Rows cached under WORK/tasks_long.
# (finetune's default, `default_stages`, now gives these tasks exactly these stages: see run_tasks_schedule.sh.)
# Usage: bench/run_tasks_long.sh [WORK_DIR] [RESULTS_DIR] [TASKS]
set -euo pipefail
exec "$(dirname "$0")/run_tasks_schedule.sh" "${1:-bench/work}" "${2:-bench/results}" "${3:-kinbase_group,kinbase_family}" \
  1:1:1,2:1:0.5,3:1:0.25,all:12:0.5 tasks_long
