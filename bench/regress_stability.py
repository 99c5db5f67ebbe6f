"""ULMFiT regressors against a k-mer ridge regression and the training mean on TAPE's stability task.

usage: PROTULM_DATA=... python bench/regress_stability.py WORK OUT.md [N_TRAIN]

Fine-tunes a forward and a backward regressor from the shipped LMs (`protulm regress finetune`, both at once, one
thread each; a bundle already in WORK is reused), fits the k-mer baseline on the same training rows, weights the
ensemble on the validation split and scores everything on the whole test split. N_TRAIN (default 0: all) caps the
training rows (the first N of a seeded shuffle)."""
import os, sys, subprocess, time, resource
from pathlib import Path
import numpy as np, pandas as pd
from protulm.core import format_table
from protulm.data import load_dataset
from protulm.regress import RegEnsemble, KmerRegressor, reg_evaluate, regression_scores

work,out = Path(sys.argv[1]),Path(sys.argv[2])
n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 0
work.mkdir(parents=True, exist_ok=True)
tr,va,te = (load_dataset('stability', s) for s in ('train', 'valid', 'test'))
if n_train: tr = tr.sample(frac=1, random_state=0)[:n_train]
tr.to_csv(work/'train.csv', index=False)

def finetune(d):
    "Start `protulm regress finetune` of direction `d` unless its bundle is there"
    if (work/f'reg_{d}').exists(): return None
    cmd = [str(Path(sys.executable).parent/'protulm'), 'regress', 'finetune', str(work/'train.csv'), '--valid', 'stability:valid',
           '--out', str(work/f'reg_{d}'), '--no-progress'] + (['--backwards'] if d == 'bwd' else [])
    return subprocess.Popen(cmd, env={**os.environ, 'OMP_NUM_THREADS': '1'}, stdout=open(work/f'reg_{d}.log', 'w'), stderr=subprocess.STDOUT)

procs = [p for p in map(finetune, ('fwd', 'bwd')) if p]
if any(p.wait() for p in procs): sys.exit(f"a finetune failed: see {work}/reg_*.log")

t = time.time()
km = KmerRegressor().fit(tr.seq, tr.label)
km_s = time.time() - t
rows = {'kmer ridge': regression_scores(km.predict(te.seq), te.label.astype(float)),
        'training mean': regression_scores(np.full(len(te), tr.label.astype(float).mean()), te.label.astype(float))}
ens = RegEnsemble([work/'reg_fwd', work/'reg_bwd']).fit(va.seq, va.label)
t = time.time()
table = reg_evaluate(ens, te, work/'eval')
pred_s = time.time() - t
names = {'reg_fwd (fwd)': 'ulmfit fwd', 'reg_bwd (bwd)': 'ulmfit bwd', 'ensemble': 'ulmfit ensemble'}  # reg_evaluate's member names: `name (direction)`
table = pd.concat([table.rename(index=names), pd.DataFrame(rows).T.astype({'n': int})])
secs = {names[f'reg_{d} ({d})']: pd.read_json(work/f'reg_{d}/config.json', typ='series')['train']['seconds'] for d in ('fwd', 'bwd')}
table['train_s'] = [secs.get(n, np.nan) if n != 'ulmfit ensemble' else sum(secs.values()) for n in table.index]
table.loc['kmer ridge', 'train_s'] = km_s
cmd = 'PROTULM_DATA=../shared/data .venv/bin/python bench/regress_stability.py ' + ' '.join(sys.argv[1:])
out.write_text(f"# Stability (TAPE): ULMFiT regressors vs k-mer ridge\n\nCommand: `{cmd}`\n\n"
               + format_table(table.reset_index(names='method')) + "\n\n"
               + f"Training rows: {len(tr):,}; validation {len(va):,} (the ensemble's weights: {np.round(ens.weights, 2).tolist()}); test {len(te):,}. "
               + f"The ensemble and both members scored on the test split in {pred_s:.0f} s (`reg_evaluate`, {os.environ.get('OMP_NUM_THREADS', 'all')} threads); "
               + f"peak memory of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB. "
               + "`train_s` is fine-tuning time (the two directions ran at once, one thread each) or the k-mer fit.\n")
print(out.read_text())
