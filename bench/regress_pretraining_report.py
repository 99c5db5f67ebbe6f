"""The table of bench/regress_pretraining.sh: forward regressors from the shipped LM and from an LM trained 1 second.

usage: python bench/regress_pretraining_report.py WORK OUT.md"""
import json, sys
from pathlib import Path
import pandas as pd
from protulm.core import format_table
from protulm.pretrained import shipped_dir

work,out = Path(sys.argv[1]),Path(sys.argv[2])
rows = []
for m,lm in (('reg_fwd', 'protulm-small-fwd (shipped)'), ('reg_fwd_1s', 'small preset trained 1 second (no pretraining)')):
    c = json.loads((work/m/'config.json').read_text())
    r = pd.read_csv(work/f'eval_{m}'/'results.csv', index_col='model').loc['ensemble']
    lm_c = json.loads(((shipped_dir(c['lm']['path']) or Path(c['lm']['path']))/'config.json').read_text())  # a shipped LM is recorded by its name
    rows.append(dict(encoder=lm, lm_valid_bits=lm_c['metrics']['bits_per_residue'], valid_spearman=c['metrics']['valid_spearman'],
                     test_spearman=r.spearman, test_pearson=r.pearson, test_rmse=r.rmse, test_n=int(r.n), train_s=c['train']['seconds']))
cmd = 'PROTULM_DATA=../shared/data bench/regress_pretraining.sh ' + sys.argv[1]
out.write_text(f"# Stability: what pretraining is worth\n\nCommand: `{cmd}`, then `.venv/bin/python bench/regress_pretraining_report.py {' '.join(sys.argv[1:])}`\n\n"
               + format_table(pd.DataFrame(rows)) + "\n\n"
               + "Forward regressors with `protulm regress finetune`'s defaults on the same 53,614 training designs, validated on `stability:valid`, "
               + "scored on the whole test split (`protulm regress evaluate`). `lm_valid_bits`: each LM's own validation bits per residue as its bundle "
               + "records it (the shipped LM on its held-out proteomes, the 1-second LM on 5% of the stability training designs; uniform over 20 residues: 4.32). "
               + "`train_s` is the regressor's fine-tuning time (the shipped-LM row ran with the backward one beside it, one thread each; the other alone on 2 threads).\n")
print(out.read_text())
