"""The table of bench/run_keep_best.sh: the Pfam recipe's backward classifier as trained (last epoch) and trained again
with keep_best (epoch of lowest validation loss): test scores, the epoch kept, and the validation figures per epoch.
Usage: .venv/bin/python bench/keep_best.py [WORK_DIR] [OUT_MD] [RECIPE_DIR]"""
import sys
from pathlib import Path
import pandas as pd
from protulm.classifier import load_classifier
from protulm.core import format_table
from pfam_lmft import scores  # bench/ is the script's directory, so on sys.path

def row(name:str, clas:Path, eval_dir:Path)->dict:
    "Test scores of the backward classifier `clas` (its `protulm evaluate` report), the epoch it ended with, seconds"
    c = load_classifier(clas).config['train']
    h = pd.read_csv(clas/'history.csv')
    kept = int(h.epoch[h.kept].iloc[0]) if 'kept' in h and h.kept.any() else int(h.epoch.iloc[-1])
    return dict(run=name, **scores(eval_dir, f'{clas.name} (bwd)'), epoch_kept=kept, epochs=len(h), train_s=round(c['seconds']))

def history(runs:dict)->pd.DataFrame:
    "Validation loss and accuracy per epoch of each run, side by side"
    hs = [pd.read_csv(d/'history.csv').set_index('epoch')[['valid_loss', 'accuracy']].add_prefix(f'{n} ') for n,d in runs.items()]
    return pd.concat(hs, axis=1).reset_index()

def main(work='bench/work/keep_best', out='bench/results/keep_best.md', recipe='bench/work/recipes/pfam_subset_head50'):
    w,r = Path(work),Path(recipe)
    runs = {'last epoch (recipe)': r/'clas_bwd', 'keep_best': w/'clas_bwd'}
    tbl = format_table(pd.DataFrame([row(n, d, e) for (n,d),e in zip(runs.items(), (r/'eval', w/'eval_bwd'))]))
    hist = format_table(history(runs))
    Path(out).write_text('# keep_best on Pfam (pfam_subset, 100 families): the recipe\'s backward classifier\n\n' + tbl + '\n\n' + hist + '\n\n'
        'Test: the whole test split (1,611 domains); validation: the dev split (1,611 domains), which also chooses the kept '
        'epoch. Both runs: protulm-small-bwd, 512 tokens per domain, batch 32, head 50, stages 1:1:1,2:1:0.5,3:1:0.25,all:4:0.1. '
        f'The recipe\'s classifier is {r}/clas_bwd (`bench/results/recipe_pfam_subset.md`); the other comes from '
        '`bench/run_keep_best.sh` (`protulm finetune --keep-best`). `epoch_kept` counts from 0 over all stages; `train_s`: '
        'fine-tuning seconds.\n')
    print(tbl); print(hist)

if __name__ == '__main__': main(*sys.argv[1:])
