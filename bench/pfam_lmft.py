"""The table of bench/run_pfam_lmft.sh: Pfam test scores of classifiers started from the shipped LMs as they are (the
recipe's) and from the LMs fine-tuned on the Pfam training and dev domains first, with the LMs' bits per residue on the
test domains.
Usage: .venv/bin/python bench/pfam_lmft.py [WORK_DIR] [OUT_MD] [RECIPE_DIR]"""
import json, sys
from pathlib import Path
import pandas as pd
from protulm.classifier import load_classifier
from protulm.core import format_table
from protulm.score import corpus_bits

COLS = ['accuracy', 'log_loss', 'macro_f1']

def scores(eval_dir:Path, key:str)->dict:
    "Test accuracy, log loss and macro F1 of one model in a `protulm evaluate` report"
    return {k: json.loads((eval_dir/'metrics.json').read_text())['results'][key][k] for k in COLS}

def row(d:str, lm:str, clas:Path, eval_dir:Path, bits:float)->dict:
    "One classifier: direction, LM, test scores, its LM's test bits per residue, epochs and fine-tuning seconds"
    c = load_classifier(clas).config['train']
    return dict(direction=d, lm=lm, **scores(eval_dir, f'{clas.name} ({d})'), lm_test_bits=round(bits, 4),
                epochs=sum(s[1] for s in c['stages']), train_s=round(c['seconds']))

def main(work='bench/work/pfam_lmft', out='bench/results/pfam_lmft.md', recipe='bench/work/recipes/pfam_subset_head50'):
    w,r,rows = Path(work),Path(recipe),[]
    for d in ('fwd', 'bwd'):
        if not (w/f'score_{d}.csv').exists(): continue
        shipped,tuned = corpus_bits(pd.read_csv(w/f'score_{d}.csv')).iloc[:2]
        lm = json.loads((w/f'lm_ft_{d}'/'config.json').read_text())
        rows += [row(d, f'protulm-small-{d}', r/f'clas_{d}', r/'eval', shipped),
                 row(d, f"fine-tuned {lm['train_seconds_this_run']:.0f} s on Pfam train+dev", w/f'clas_{d}', w/f'eval_{d}', tuned)]
    tbl = format_table(pd.DataFrame(rows))
    Path(out).write_text('# ULMFiT\'s LM fine-tuning on Pfam (pfam_subset, 100 families)\n\n' + tbl + '\n\n'
        'Whole test split (1,611 domains). Every classifier: 512 tokens per domain, batch 32, head 50, stages '
        '1:1:1,2:1:0.5,3:1:0.25,all:4:0.1 (the Pfam recipe\'s defaults); rows from `protulm-small-*` are the recipe\'s '
        f'classifiers ({r}, `bench/results/recipe_pfam_subset.md`), the others come from `bench/run_pfam_lmft.sh`, whose LMs '
        'were first fine-tuned for one epoch on the training and dev domains (5% of them held out). `lm_test_bits`: the '
        'classifier\'s LM on the test domains, bits per residue (`protulm score`, fp32). `train_s`: classifier fine-tuning '
        'seconds.\n')
    print(tbl)

if __name__ == '__main__': main(*sys.argv[1:])
