"""The phmmer baseline on both KinBase tasks with one all-against-all search, cached where `protulm bench tasks` looks.

KinBase group and family share their sequences (the same kinases, the same species held out), so one phmmer search of
the test and validation kinases against the training kinases serves both label sets (`PhmmerNN.hit_scores`). For each
task this fits the harness's `PhmmerNN` (its calibration: a search of its own held-out training rows against the rest),
takes each label's best bit score from the shared search, and writes what `protulm bench tasks --baselines phmmer --blend
phmmer` would have cached: `WORK/TASK/phmmer.json` (the row; predict_s is the shared search's seconds, which one task's
predictions take) and `probs_phmmer.npz` (test and validation probabilities). Before the full search it checks, on the
first CHECK test kinases, that the search made with the family model's database gives the group model's own `class_scores`.

Usage: PROTULM_DATA=../shared/data python bench/kinbase_phmmer.py WORK [CPUS (0: all)] [CHECK (default 4)]
"""
import json, sys
from pathlib import Path
import numpy as np
from protulm.core import Timer
from protulm.baselines import PhmmerNN
from protulm.bench.tasks import task_splits, _row

TASKS = ('kinbase_group', 'kinbase_family')

def main(work, cpus=0, check=4):
    work,cpus,check = Path(work),int(cpus),int(check)
    splits = {t: task_splits(t, n_train=0) for t in TASKS}
    (tr,_,te),fam = splits[TASKS[0]],splits[TASKS[1]]
    assert tr.seq.equals(fam[0].seq) and te.seq.equals(fam[2].seq), 'the two tasks do not share training and test kinases'
    valid = list(dict.fromkeys(s for t in TASKS for s in splits[t][1].seq))  # both tasks' validation kinases, once each
    models = {}
    for t in TASKS:
        m = PhmmerNN(cpus=cpus)
        with Timer() as fit: m.fit(splits[t][0].seq, splits[t][0].label)
        models[t] = m,fit.secs
        print(f"{t}: calibration fit in {fit.secs:.0f} s (temp {m.temp:.3g}, prior_mix {m.prior_mix:.3g})", flush=True)
    search,group = models[TASKS[1]][0],models[TASKS[0]][0]
    q = te.seq[:check].tolist()
    shared = np.array([group.hit_scores(h) for h in search.hits(q)])
    assert np.array_equal(shared, group.class_scores(q).to_numpy(), equal_nan=True), 'shared scores differ'
    print(f"shared scores equal class_scores on {check} test kinases", flush=True)
    scores = {t: [] for t in TASKS}
    with Timer() as srch:
        for h in search.hits(te.seq.tolist() + valid):
            for t in TASKS: scores[t].append(models[t][0].hit_scores(h))
    print(f"searched {len(te)} test and {len(valid)} validation kinases against {len(tr)} in {srch.secs:.0f} s", flush=True)
    for t in TASKS:
        (m,fit_s),(train,va,test),s = models[t],splits[t],np.array(scores[t])
        sv = dict(zip(valid, s[len(te):]))
        pt,pv = m.scores_proba(s[:len(te)]),m.scores_proba(np.array([sv[v] for v in va.seq]))
        row = _row(t, 'phmmer', pt, m.labels, test, len(train), fit_s, srch.secs, has_proba=True)
        (work/t).mkdir(parents=True, exist_ok=True)
        np.savez(work/t/'probs_phmmer.npz', test=pt, valid=pv, labels=np.array(m.labels, dtype=str))
        (work/t/'phmmer.json').write_text(json.dumps(row, indent=1, default=float))
        print(t, {k: row[k] for k in ('accuracy', 'log_loss', 'macro_f1')}, flush=True)

if __name__ == '__main__': main(*sys.argv[1:])
