"""The table of bench/run_clas_head.sh: each forward classifier's test scores beside the tasks_shipped row with ULMFiT's
head (50) and 4-epoch schedule, trained with the same settings.
Usage: .venv/bin/python bench/clas_head.py [WORK_DIR] [OUT_MD]"""
import json, sys
from pathlib import Path
import pandas as pd
from protulm.classifier import load_classifier
from protulm.core import format_table

COLS = ['accuracy', 'log_loss', 'macro_f1']

def pfam_row(w:Path, name:str)->dict:
    "Test scores of the classifier WORK/NAME (its `protulm evaluate` report) and how it was trained"
    m = json.loads((w/f'eval_{name}'/'metrics.json').read_text())['results'][f'{name} (fwd)']
    c = load_classifier(w/name).config
    return dict(task='pfam_subset', lin_ftrs=','.join(map(str, c['clas_config']['lin_ftrs'])), weighted=c['train']['weighted'],
                epochs=sum(s[1] for s in c['train']['stages']), **{k: m[k] for k in COLS}, train_s=round(c['train']['seconds']))

def shipped_row(task:str)->dict:
    "tasks_shipped's forward classifier on `task`: head 50, ULMFiT's 4-epoch schedule, unweighted"
    r = pd.read_csv('bench/results/tasks_shipped.csv').query('task == @task and method == "ulmfit fwd"').iloc[0]
    return dict(task=task, lin_ftrs='50', weighted=False, epochs=4, **{k: r[k] for k in COLS}, train_s=round(r['train_s']))

def main(work='bench/work/clas_head', out='bench/results/clas_head.md'):
    w = Path(work)
    rows = [shipped_row('pfam_subset')] + [pfam_row(w, n) for n in ('weighted', 'wide512', 'long', 'wide512_long') if (w/f'eval_{n}').exists()]
    rh = json.loads((w/'tasks'/'remote_homology'/'ulmfit_fwd.json').read_text())
    rows += [shipped_row('remote_homology'), dict(task='remote_homology', lin_ftrs=rh['lin_ftrs'], weighted=False, epochs=4,
             **{k: rh[k] for k in COLS}, train_s=round(rh['train_s']))]
    tbl = format_table(pd.DataFrame(rows))
    Path(out).write_text('# The classifier head and schedule, forward classifiers from protulm-small-fwd\n\n' + tbl + '\n\n'
        'Test split of each task; `epochs`: all stages together (ULMFiT: 1:1:1,2:1:0.5,3:1:0.25,all:1:0.1; 7 epochs: all:4:0.1). '
        'Rows with head 50, 4 epochs and no weights are `tasks_shipped.csv`\'s; the others come from `bench/run_clas_head.sh`. '
        '`train_s`: fine-tuning seconds, two runs at a time on one thread each.\n')
    print(tbl)

if __name__ == '__main__': main(*sys.argv[1:])
