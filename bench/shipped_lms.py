"""Held-out evaluation of the shipped LMs: bits per residue on the corpus's held-out proteomes (whole organisms never
trained on), per proteome and in all, next to what amino-acid composition alone gives.
Usage: .venv/bin/python bench/shipped_lms.py [CORPUS_DIR] [OUT_MD] [NAME=LM_DIR,...]
CORPUS_DIR: the corpus the LMs were trained on; NAME=LM_DIR: other LMs scored on the same proteomes for comparison
(e.g. `12min=bench/work/short/lm_fwd_12min`, a forward LM trained the same way for 12 minutes)."""
import json, math, sys
from pathlib import Path
import numpy as np
import pandas as pd
from protulm.data import read_fasta
from protulm.pretrained import DEFAULT_LMS, get_lm, read_card
from protulm.score import score_seqs
from protulm.core import format_table

def composition(train_fasta:Path)->tuple:
    "Residue frequencies of the training FASTA (by byte) and its number of sequences"
    txt = train_fasta.read_bytes()
    seqs = b''.join(l for l in txt.split(b'\n') if not l.startswith(b'>'))
    return np.bincount(np.frombuffer(seqs, dtype=np.uint8), minlength=256).astype(np.float64), txt.count(b'>')

def composition_bits(seqs, counts, n_seqs)->tuple:
    "Bits per residue of `seqs` under the training composition: residues only, and with each sequence's end predicted too"
    b = np.bincount(np.frombuffer(''.join(seqs).encode(), dtype=np.uint8), minlength=256)
    n,R,m = b.sum(),counts.sum(),counts > 0
    res_only = -(b[m] * np.log2(counts[m] / R)).sum() / n
    with_end = (-(b[m] * np.log2(counts[m] / (R + n_seqs))).sum() - len(seqs) * math.log2(n_seqs / (R + n_seqs))) / n
    return res_only, with_end

def main(corpus='bench/work/shipped/corpus', out='bench/results/shipped_lms.md', others=''):
    corpus,out = Path(corpus),Path(out)
    others = dict(o.split('=', 1) for o in others.split(',') if o)
    va = read_fasta(corpus/'valid.fasta'); va['group'] = va.id.str.split('/').str[0]
    counts,n_seqs = composition(corpus/'train.fasta')
    lms = {d: get_lm(n) for d,n in {**DEFAULT_LMS, **others}.items()}
    sc = score_seqs(lms, va.seq, ids=va.id, precision='fp32', progress=True)
    sc['group'] = sc.id.str.split('/').str[0]
    rows = []
    for g,d in [*sc.groupby('group'), ('all held out', sc)]:
        res = d.length.sum()
        row = dict(proteome=g, sequences=len(d), residues=int(res))
        for n in lms: row[f'{n} bits/res'] = -d[f'll_{n}'].sum() / math.log(2) / res
        row['fwd+bwd mean'] = (row['fwd bits/res'] + row['bwd bits/res']) / 2
        seqs = va.seq[va.group == g] if g != 'all held out' else va.seq
        row['composition (residues only)'],row['composition (+ end of sequence)'] = composition_bits(list(seqs), counts, n_seqs)
        rows.append(row)
    t = pd.DataFrame(rows)
    cards = {d: read_card(lms[d].path) for d in DEFAULT_LMS}
    info = pd.DataFrame([dict(LM=c['name'], params=c['n_params'], device=c['training']['device'], hours=c['training'].get('total_hours', c['training']['hours']),
                              residues_seen=c['training'].get('total_residues_seen', c['training']['residues_seen']), residues_per_s=c['training']['residues_per_s'],
                              valid_bits_training_metric=c['valid_bits_per_residue']) for c in cards.values()])
    for n in others:  # trained here, not packaged: the same figures from the bundle's config
        c = lms[n].config
        info.loc[len(info)] = [n, c['n_params'], c['device'], round(c['train_seconds_this_run'] / 3600, 3),
                               int(c['residues_per_s'] * c['train_seconds_this_run']), round(c['residues_per_s']), c['metrics']['bits_per_residue']]
    md = ['# Shipped LMs on held-out proteomes', '', f'Command: `.venv/bin/python bench/shipped_lms.py {corpus} {out}' + (f" {','.join(f'{k}={v}' for k,v in others.items())}" if others else '') + '`', '',
          format_table(t), '', format_table(info), '',
          'Bits per residue: the negative log-likelihood of each whole held-out protein (from its start, or its end for the backward '
          'LM, through the end-of-sequence token) over its residues (`protulm score`). Composition: the training corpus\'s '
          'amino-acid frequencies as a unigram model, without and with the end-of-sequence prediction the LMs also pay for. '
          '`valid_bits_training_metric` is the same set scored as one stream during training (the hidden state carried from protein to protein). '
          '`hours` and `residues_seen` count every run behind an LM (one that continued another adds that LM\'s, as its card '
          'records), `residues_per_s` its last run. '
          'Rows other than the shipped LMs are LMs named on the command line, read from their own config (their last run).']
    out.write_text('\n'.join(md) + '\n')
    print('\n'.join(md))

if __name__ == '__main__': main(*sys.argv[1:])
