"""Ensemble weights fit for log loss or for accuracy, on the blends `protulm bench tasks --blend` measured: each run's
cached classifiers and saved baseline probabilities (its work directory), the same validation rows (`task_splits`), the
test split. Usage: PROTULM_DATA=... python bench/weights_for.py OUT.md WORK:TASK:BASELINE ...
(e.g. bench/work/tasks_blend_baselines:scop:phmmer)"""
import sys, time
import numpy as np, pandas as pd
from pathlib import Path
from protulm.core import format_table
from protulm.predict import fit_weights, fit_weights_accuracy
from protulm.bench.tasks import task_splits, blend_probas
from protulm.evaluate import scores

def main(out, *runs):
    rows = []
    for run in runs:
        work,task,b = run.split(':'); t = time.time()
        _,va,te = task_splits(task, n_train=0)
        pv,pt,ens = blend_probas(task, ('fwd', 'bwd'), b, Path(work), va)
        yv,truth,labels = np.array(ens.vocab.encode([str(l) for l in va.label])),te.label.astype(str).tolist(),ens.labels
        for name,fit in (('log_loss', fit_weights), ('accuracy', fit_weights_accuracy)):
            w = fit(pv, yv); p = sum(wi * q for wi,q in zip(w, pt)); s = scores(p, p, truth, labels)
            rows.append(dict(task=task, blend=f'ulmfit ensemble + {b}', weights_for=name, weights=str(np.round(w, 3).tolist()), n_valid=len(yv),
                             valid_accuracy=(sum(wi * q for wi,q in zip(w, pv)).argmax(1) == yv).mean(), test_accuracy=s['accuracy'],
                             test_log_loss=s['log_loss'], test_macro_f1=s['macro_f1']))
        print(f"{run}: {time.time()-t:.0f} s", flush=True)
    md = format_table(pd.DataFrame(rows))
    Path(out).write_text(md + '\n'); print(md)

if __name__ == '__main__': main(*sys.argv[1:])
