#!/usr/bin/env bash
# The profile-HMM baseline (`hmm`: one HMM per label, `protulm.baselines.ProfileHMMs`) on the tasks whose labels are
# families or folds: Pfam (100 families), KinBase group and family (species held out), remote homology (SCOP folds).
# Same splits as tasks_shipped (every training row); where phmmer was not measured (KinBase: every kinase hits every
# kinase, about 7 s per query), it is the profile-search row. For comparison the table also holds, copied from the
# committed results (identical splits), the k-mer and phmmer rows of tasks_shipped and the ULMFiT ensemble of
# tasks_schedule (`finetune`'s default schedule). Rows cached under WORK/tasks_hmm; one process (HMMs built one after
# another, searches on every core: pyhmmer cpus=0).
# Usage: bench/run_tasks_hmm.sh [WORK_DIR] [RESULTS_DIR] [TASKS]
set -euo pipefail
W=${1:-bench/work}; R=${2:-bench/results}; T=${3:-kinbase_group,kinbase_family,pfam_subset,remote_homology}
BIN=${BIN:-.venv/bin}
"$BIN/python" - "$W/tasks_hmm" "$R" "$T" <<'PY'
import json, sys
from pathlib import Path
import pandas as pd
w,r,tasks = Path(sys.argv[1]),Path(sys.argv[2]),sys.argv[3].split(',')
for csv,methods in (('tasks_shipped.csv', ('kmer', 'phmmer')), ('tasks_schedule.csv', ('ulmfit ensemble',))):
    df = pd.read_csv(r/csv)
    for row in df[df.task.isin(tasks) & df.method.isin(methods)].to_dict('records'):
        f = w/row['task']/f"{row['method'].replace(' ', '_')}.json"
        if not f.exists(): f.parent.mkdir(parents=True, exist_ok=True); f.write_text(json.dumps(row, indent=1, default=float))
PY
"$BIN/protulm" bench tasks --work "$W/tasks_hmm" --out "$R" --stem tasks_hmm --n-train 0 --tasks "$T" --lms '' --baselines hmm
