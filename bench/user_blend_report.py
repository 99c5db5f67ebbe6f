"""Write the results of `bench/run_user_blend.sh` as markdown: the evaluation of the blend the commands made, its
weights, the seconds and peak memory of each command, and the bench run's rows for the same task beside it.
Usage: [B=hmm] [S=tasks_blend] python bench/user_blend_report.py WORK_DIR TASK OUT.md [NOTE ...]  (B, S: as for run_user_blend.sh)"""
import json, os, sys
from pathlib import Path
import pandas as pd
from protulm.core import format_table

w,task,out = Path(sys.argv[1]),sys.argv[2],Path(sys.argv[3])
B,S = os.environ.get('B', 'hmm'),os.environ.get('S', 'tasks_blend')
d = w/'user_blend'/(task if B == 'hmm' else f'{task}_{B}')
title = {'hmm': 'profile HMMs', 'kmer': 'the k-mer model', 'phmmer': 'phmmer'}[B]
res = pd.read_csv(d/'eval'/'results.csv')[['model', 'accuracy', 'log_loss', 'macro_f1', 'n', 'n_unknown_labels']]
ens = json.loads((d/'ens.json').read_text())
ref = pd.read_csv(Path(__file__).parent/'results'/f'{S}.csv')
ref = ref[(ref.task == task) & ref.method.isin(['ulmfit ensemble', B, f'ulmfit ensemble + {B}'])][['method', 'accuracy', 'log_loss', 'macro_f1']]
times = [l.split(' ', 1) for l in (d/'times.txt').read_text().splitlines() if l.strip()]
cmds = {'fit': f'protulm baseline {B} {task}:train {task}:test --save {B}', 'loaded': f'protulm baseline {B} {B} {task}:test',
        'ensemble': f'protulm ensemble clas_fwd clas_bwd {B} --valid {task}:valid --out ens.json',
        'evaluate': f'protulm evaluate ens.json {task}:test --precision fp32', 'predict': f'protulm predict ens.json {task}:test --precision fp32'}
fit,loaded = pd.read_csv(d/f'{B}_fit.csv'),pd.read_csv(d/f'{B}_loaded.csv')
same = (f"The saved model's answers (`{B}_loaded.csv`) against the fitted one's (`{B}_fit.csv`): the same label for {int((fit.pred == loaded.pred).sum()):,} "
        f"of {len(fit):,} rows, largest difference of a listed probability {max((fit[c] - loaded[c]).abs().max() for c in fit.columns if c.endswith('_prob')):.1e}.")
tt = pd.DataFrame([dict(step=k, command=cmds.get(k, k), cost=v) for k,v in times])
env = '' if (B, S) == ('hmm', 'tasks_blend') else f'B={B} S={S} '
md = [f"# ULMFiT + {title} through the commands: {task}",
      f"Command: `PROTULM_DATA=../shared/data {env}bench/run_user_blend.sh bench/work {task}`, then `{env}python bench/user_blend_report.py bench/work {task} {out}`. "
      f"The classifiers are {S}'s (`bench/work/{S}/{task}/clas_{{fwd,bwd}}`); {title} {'are' if B == 'hmm' else 'is'} fit, saved and loaded by the commands.",
      "## protulm evaluate ens.json (test split)", format_table(res),
      f"Ensemble weights fit by `protulm ensemble --valid` ({', '.join(f'{Path(m).name} {x:.4f}' for m,x in zip(ens['members'], ens['weights']))}).",
      same, *sys.argv[4:],
      f"## {S}'s rows for the same task (bench harness)", format_table(ref),
      "## Seconds and peak memory per command (2-core Intel Xeon with AMX)", format_table(tt)]
out.write_text('\n\n'.join(md) + '\n')
print(out.read_text())
