"""The table of bench/run_keep_best.sh: the Pfam recipe's classifiers as trained (last epoch) and trained again with
keep_best (epoch of lowest validation loss): test scores of each direction and of their ensemble, the epoch kept, and
the validation figures per epoch.
Usage: .venv/bin/python bench/keep_best.py [WORK_DIR] [OUT_MD] [RECIPE_DIR]"""
import sys
from pathlib import Path
import pandas as pd
from protulm.classifier import load_classifier
from protulm.core import format_table
from pfam_lmft import scores  # bench/ is the script's directory, so on sys.path

DIRS = ('fwd', 'bwd')

def kept_epoch(h:pd.DataFrame)->int:
    "The epoch a classifier ended with: the one history.csv marks as kept, else its last"
    return int(h.epoch[h.kept].iloc[0]) if 'kept' in h and h.kept.any() else int(h.epoch.iloc[-1])

def rows(name:str, run:Path, eval_dir:Path, equal_dir:Path)->list:
    "Test scores of `run`'s two classifiers and their ensemble, fitted and equal weights (`protulm evaluate` reports), epochs kept, seconds"
    out = []
    for d in DIRS:
        h,c = pd.read_csv(run/f'clas_{d}'/'history.csv'),load_classifier(run/f'clas_{d}').config['train']
        out.append(dict(run=name, model=d, **scores(eval_dir, f'clas_{d} ({d})'), epoch_kept=kept_epoch(h),
                        epochs=len(h), train_s=round(c['seconds'])))
    return out + [dict(run=name, model='ensemble', **scores(eval_dir, 'ensemble')),
                  dict(run=name, model='ensemble, equal weights', **scores(equal_dir, 'ensemble'))]

def history(run:Path)->pd.DataFrame:
    "Validation loss and accuracy per epoch of `run`'s two classifiers, side by side"
    hs = [pd.read_csv(run/f'clas_{d}'/'history.csv').set_index('epoch')[['valid_loss', 'accuracy']].add_prefix(f'{d} ')
          for d in DIRS]
    return pd.concat(hs, axis=1).reset_index()

def main(work='bench/work/keep_best', out='bench/results/keep_best.md', recipe='bench/work/recipes/pfam_subset_head50'):
    w,r = Path(work),Path(recipe)
    tbl = pd.DataFrame(rows('last epoch (recipe)', r, r/'eval', w/'eval_equal_recipe') +
                       rows('keep_best', w, w/'eval', w/'eval_equal_keep_best'))
    hr,hw = history(r),history(w)
    same = max((hr[c] - hw[c]).abs().max() for c in hr if c.endswith('valid_loss'))
    tbl,hist = format_table(tbl),format_table(hw)
    Path(out).write_text('# keep_best on Pfam (pfam_subset, 100 families): the recipe\'s classifiers\n\n' + tbl +
        '\n\nValidation per epoch (keep_best runs):\n\n' + hist + '\n\n'
        'Test: the whole test split (1,611 domains); validation: the dev split (1,611 domains), which also chooses the kept '
        'epoch. Both runs: protulm-small-fwd / protulm-small-bwd, 512 tokens per domain, batch 32, head 50, stages '
        '1:1:1,2:1:0.5,3:1:0.25,all:4:0.1. Training is deterministic here: the largest difference between the two runs\' '
        f'validation losses at any epoch is {same:.2g}, so they differ only in the epoch kept. `ensemble` weighs the two as '
        'fit on the dev split (the recipe\'s `ensemble.json`, and `protulm ensemble --valid` for keep_best), which minimises '
        'validation log loss; `ensemble, equal weights` averages them. The recipe\'s classifiers '
        f'are {r}/clas_fwd and clas_bwd (`bench/results/recipe_pfam_subset.md`); the others come from '
        '`bench/run_keep_best.sh` (`protulm finetune --keep-best`). `epoch_kept` counts from 0 over all stages; `train_s`: '
        'fine-tuning seconds.\n')
    print(tbl); print(hist)

if __name__ == '__main__': main(*sys.argv[1:])
