"""How a blend's test accuracy and log loss move with the baseline's weight: a recipe run's members (its ensemble.json),
scored on its validation and test rows, the baseline's weight swept while the classifiers keep their fitted ratio; then
the weights fit on the validation rows for log loss (`fit_weights`) and for accuracy (`fit_weights_accuracy`).
Usage: PROTULM_DATA=... python bench/blend_weights.py RUN_DIR DATASET OUT.md [NOTE]  (RUN_DIR from `protulm recipe task DATASET`)"""
import sys, time
import numpy as np, pandas as pd
from pathlib import Path
from protulm.core import format_table
from protulm.predict import load_models, fit_weights, fit_weights_accuracy, log_loss
from protulm.recipes import task_rows, task_sources

WEIGHTS = (1., 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.)  # baseline weights swept

def scores(ps:list, w:np.ndarray, y:np.ndarray)->tuple:
    "Accuracy and log loss of the members' probabilities `ps` averaged with weights `w`, on label indices `y`"
    p = sum(wi * q for wi,q in zip(w, ps))
    return (p.argmax(1) == y).mean(), log_loss(p, y)

def main(run, dataset, out, note=''):
    run = Path(run); ens = load_models(run/"ensemble.json"); ens.threads = 2
    _,va,te = task_rows(*task_sources(dataset))
    probs,ys = {},{}
    for name,df in (('valid', va), ('test', te)):
        keep = ens.vocab.known_rows(df.label.tolist(), name)
        df = df[keep]; t = time.time()
        probs[name],ys[name] = ens.member_probas(df.seq.tolist()),np.array(ens.vocab.encode(df.label.tolist()))
        print(f"{name}: {len(df):,} rows scored in {time.time()-t:.0f} s", flush=True)
    fitted,cls = ens.weights, ens.weights[:-1] / ens.weights[:-1].sum()  # the classifiers keep their fitted ratio
    rows = []
    for wb in sorted({*WEIGHTS, round(float(fitted[-1]), 3)}, reverse=True):
        w = np.append(cls * (1 - wb), wb)
        r = {'baseline weight': wb, 'fitted': 'yes' if np.isclose(wb, round(float(fitted[-1]), 3)) else ''}
        for s in ('valid', 'test'): r[f'{s} accuracy'],r[f'{s} log loss'] = scores(probs[s], w, ys[s])
        rows.append(r)
    tbl,fits = pd.DataFrame(rows),[]
    for name,fit in (('log_loss', fit_weights), ('accuracy', fit_weights_accuracy)):
        w = fit(probs['valid'], ys['valid'])
        r = {'weights fit for': name, 'weights': str(np.round(w, 3).tolist())}
        for s in ('valid', 'test'): r[f'{s} accuracy'],r[f'{s} log loss'] = scores(probs[s], w, ys[s])
        fits.append(r)
    md = [f"# Blend weights: {run.name} ({dataset})", f"Members: {', '.join(m.path.name for m in ens.members)}; fitted weights "
          f"{np.round(fitted, 3).tolist()} (log loss on the validation rows). Each row gives the last member (the baseline) the weight shown "
          f"and the classifiers the rest, in their fitted ratio.", format_table(tbl),
          "The weights fit on the validation rows, all members free (`protulm ensemble --weights-for log_loss|accuracy`):", format_table(pd.DataFrame(fits)), note]
    Path(out).write_text('\n\n'.join(x for x in md if x) + '\n'); print(Path(out).read_text())

if __name__ == '__main__': main(*sys.argv[1:])
