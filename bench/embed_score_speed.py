"""`protulm score`, `protulm embed` and `protulm residue predict` through the inference models (`protulm.infer.Runner`)
next to the fastai paths they used before (kept here as the reference): seconds, sequences/s, how far the answers move.
Usage: PROTULM_DATA=../shared/data .venv/bin/python bench/embed_score_speed.py [INPUT] [OUT_MD] [THREADS] [RESIDUE_BUNDLE]
INPUT: a dataset split or file (default `scop:test`); the LMs are the shipped small pair. RESIDUE_BUNDLE: a residue
tagger (default: the fwd+bwd tagger of `protulm bench residue`, bench/work/residue/ulmfit_fwd_bwd), timed on flip_ss:test."""
import math, sys, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from fastai.text.models.core import SentenceEncoder, masked_concat_pool
from protulm.core import format_table, torch_threads
from protulm.data import read_input
from protulm.tokenize import PAD_IDX
from protulm.pretrained import DEFAULT_LMS, get_lm
from protulm.classifier import run_batches, CLAS_MAX_LEN
from protulm.infer import pad_batch, cpu_has_bf16
from protulm.score import seq_ids, score_seqs
from protulm.embed import embed
from protulm.predict import softmax
from protulm.residue import load_residue, residue_logits, ResidueDL, read_residue_input, residue_scores

@torch.inference_mode()
def fastai_nll(b, seqs, bs=64)->np.ndarray:
    "NLL of each of `seqs` through fastai's LM, batches of `bs` sorted by length, rows leaving as they end (the old `lm_nll`)"
    m,arrs = b.model(),seq_ids(b.tok, seqs, b.backwards)
    order,res,vocab = np.argsort([-len(a) for a in arrs], kind='stable'),np.empty(len(arrs)),m[1].decoder.out_features
    for i in range(0, len(order), bs):
        idx = order[i:i+bs]
        x,lens = pad_batch([arrs[j] for j in idx])
        m.reset()
        inp,tgt,chunk = x[:, :-1],x[:, 1:],max(1, 2**25 // (len(x) * vocab))
        nll = torch.zeros(len(x), dtype=torch.float64)
        for st in range(0, inp.shape[1], chunk):
            n = int((lens > st + 1).sum())
            logits = m(inp[:n, st:st+chunk])[0].float()
            ce = F.cross_entropy(logits.reshape(-1, vocab), tgt[:n, st:st+chunk].reshape(-1), ignore_index=PAD_IDX, reduction='none')
            nll[:n] += ce.view(n, -1).double().sum(1)
        res[idx] = nll.numpy()
    return res

@torch.inference_mode()
def fastai_embed(b, seqs, bs=64)->np.ndarray:
    "Mean-pooled encoder outputs through fastai's `SentenceEncoder` on chunk-padded batches (the old `embed`)"
    enc = SentenceEncoder(b.cfg['bptt'], b.model()[0], pad_idx=PAD_IDX).eval()
    def f(x):
        out,mask = enc(x)
        n = out.shape[-1]
        return masked_concat_pool(out.float(), mask, b.cfg['bptt'])[:, 2*n:]
    return run_batches(f, b.tok, seqs, b.cfg['bptt'], CLAS_MAX_LEN, b.backwards, bs).numpy()

@torch.inference_mode()
def fastai_residue(b, seqs, bs=16)->list:
    "Per-residue logits through the fastai `ResidueTagger` on `ResidueDL` batches (the old `residue_logits`)"
    m,items = b.model(),b.tok.numericalize(seqs, bos=True)
    dl,out = ResidueDL(items, bs=bs),[None] * len(seqs)
    for idx,(x,lens) in zip(dl.batch_order(), dl.create_batches(None)):
        lg = m(x, lens).float().numpy()
        for r,i in enumerate(idx): out[i] = lg[r, :lens[r] - 1]
    return out

def residue_rows(bundle, precs, threads)->list:
    "Rows of the residue tagger on flip_ss:test: the fastai path, then protulm at each precision"
    b,df = load_residue(bundle),read_residue_input('flip_ss:test')
    seqs,n_res = df.seq.tolist(),int(df.seq.str.len().sum())
    q3 = lambda lg: residue_scores([softmax(l / b.temperature) for l in lg], df, b.labels)['residue_accuracy']
    ref,ref_s = timed(lambda: fastai_residue(b, seqs))
    rows = [dict(job=f'residue {b.config["direction"]}', method='fastai ResidueTagger, bs 16', seconds=round(ref_s, 1), seqs_per_s=round(len(seqs) / ref_s),
                 residues_per_s=round(n_res / ref_s), x_fastai=1., label_agreement=1., q3=round(q3(ref), 4))]
    for p in precs:
        lg,s = timed(lambda: residue_logits(b, seqs, precision=p, threads=threads))
        agree = float(np.mean(np.concatenate([a.argmax(1) == r.argmax(1) for a,r in zip(lg, ref)])))
        rows.append(dict(job=rows[0]['job'], method=f'protulm {p}, {threads} threads', seconds=round(s, 1), seqs_per_s=round(len(seqs) / s),
                         residues_per_s=round(n_res / s), x_fastai=round(ref_s / s, 2), label_agreement=round(agree, 5), q3=round(q3(lg), 4)))
    return rows, f'{len(seqs):,} flip_ss test chains, {n_res:,} residues'

def timed(f):
    t = time.perf_counter(); r = f(); return r, time.perf_counter() - t

def main(input='scop:test', out='bench/results/embed_score_speed.md', threads=2, residue='bench/work/residue/ulmfit_fwd_bwd'):
    threads = int(threads)
    seqs = read_input(input).seq.tolist()
    lens = np.array([len(s) for s in seqs]); n_res = int(lens.sum())
    lms = {d: get_lm(n) for d,n in DEFAULT_LMS.items()}
    rows = []
    def row(job, method, secs, ref_secs, **extra):
        rows.append(dict(job=job, method=method, seconds=round(secs, 1), seqs_per_s=round(len(seqs) / secs), residues_per_s=round(n_res / secs),
                         x_fastai=round(ref_secs / secs, 2), **extra))
    precs = ['fp32'] + (['bf16'] if cpu_has_bf16() else []) + ['int8']
    with torch_threads(threads):
        ref,ref_s = timed(lambda: {d: fastai_nll(b, seqs) for d,b in lms.items()})
        bits = lambda nll: nll / math.log(2) / lens
        corpus = lambda nll: nll.sum() / math.log(2) / n_res
        row('score fwd+bwd', 'fastai LM, bs 64', ref_s, ref_s, max_seq_bits_diff=0., corpus_bits_fwd=round(corpus(ref['fwd']), 5))
        for p in precs:
            df,s = timed(lambda: score_seqs(lms, seqs, precision=p, threads=threads))
            d = max(np.abs(bits(-df[f'll_{k}'].values) - bits(ref[k])).max() for k in lms)
            row('score fwd+bwd', f'protulm {p}, {threads} threads', s, ref_s, max_seq_bits_diff=float(f'{d:.2g}'), corpus_bits_fwd=round(corpus(-df.ll_fwd.values), 5))
        e_ref,ref_s = timed(lambda: fastai_embed(lms['fwd'], seqs))
        row('embed fwd (mean)', 'fastai SentenceEncoder, bs 64', ref_s, ref_s, min_cosine=1.)
        for p in precs:
            e,s = timed(lambda: embed(lms['fwd'], seqs, precision=p, threads=threads))
            cos = (e * e_ref).sum(1) / np.linalg.norm(e, axis=1) / np.linalg.norm(e_ref, axis=1)
            row('embed fwd (mean)', f'protulm {p}, {threads} threads', s, ref_s, min_cosine=float(f'{cos.min():.6f}'))
        res_rows,res_input = residue_rows(residue, precs, threads)
    t = pd.DataFrame(rows + res_rows)
    md = ['# `score`, `embed` and `residue predict`: inference models vs the fastai path', '',
          f'Command: `PROTULM_DATA=../shared/data .venv/bin/python bench/embed_score_speed.py {input} {out} {threads} {residue}`', '',
          f'Input: {input}, {len(seqs):,} sequences, {n_res:,} residues; the shipped LMs {", ".join(DEFAULT_LMS.values())}; '
          f'{threads} CPU threads ({torch.__version__}; bf16 matrix units: {cpu_has_bf16()}). Residue rows: the tagger {residue} on '
          f'{res_input}.', '',
          format_table(t), '',
          'fastai rows: the code `score` and `embed` ran before (fastai\'s AWD-LSTM with `WeightDropout`, `reset` per batch; '
          'the embedding through `SentenceEncoder` on chunk-padded batches; the residue tagger\'s fastai modules), on torch\'s '
          'threads. protulm rows: `protulm.score.score_seqs`, `protulm.embed.embed` and `protulm.residue.residue_logits` '
          '(inference models, length-sorted batches of 128 rows, 16 proteins for the tagger, one worker thread per core). `max_seq_bits_diff`: the largest change of one sequence\'s bits per residue against '
          'the fastai rows (either LM); `min_cosine`: the smallest cosine similarity of a sequence\'s embedding to the '
          'fastai one; `label_agreement`: the share of residues whose label matches the fastai path\'s; `q3`: residue accuracy '
          'against the true labels. Timings include building the models and oneDNN\'s kernels, as in a real run.']
    Path(out).write_text('\n'.join(md) + '\n')
    print('\n'.join(md))

if __name__ == '__main__': main(*sys.argv[1:])
