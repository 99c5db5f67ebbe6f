"Per-residue classification end to end through the CLI: fine-tune, predict, evaluate, bad input, and the real FLIP split."
import json
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import shared_data, plant_pickle, one_line_error

FAST = ['--stages', '1:1:1,all:1:0.5', '--bs', '8', '--max-len', '32', '--no-progress', '--precision', 'fp32']
HYD = set('AVILMFWC')

def _labels(s): return ''.join('H' if i < len(s) - 1 and s[i+1] in HYD else 'C' for i in range(len(s)))

@pytest.fixture(scope='module')
def rdata(tmp_path_factory):
    "Toy proteins labelled by their next residue, as CSVs and FASTA, and tiny fwd/bwd LMs"
    from types import SimpleNamespace
    from protulm.data import toy_proteins
    from protulm.pretrain import pretrain
    d = tmp_path_factory.mktemp('res')
    toy = toy_proteins(90, min_len=30, max_len=70, seed=2)
    df = pd.DataFrame(dict(id=toy.id, seq=toy.seq, labels=toy.seq.map(_labels), mask=toy.seq.map(lambda s: '0' + '1'*(len(s) - 1))))
    for name,rows in (('train', df[:60]), ('valid', df[60:75]), ('test', df[75:])): rows.to_csv(d/f'{name}.csv', index=False)
    (d/'test.fasta').write_text(''.join(f'>{r.id}\n{r.seq}\n' for r in df[75:].itertuples()))
    for k in ('fwd', 'bwd'):
        pretrain(toy.seq, d/f'lm_{k}', preset='tiny', epochs=1, bs=8, backwards=k == 'bwd', progress=False, precision='fp32', device='cpu')
    return SimpleNamespace(dir=d, df=df, lms=f"{d/'lm_fwd'},{d/'lm_bwd'}")

@pytest.fixture(scope='module')
def tagger(rdata, tmp_path_factory):
    "A bidirectional residue classifier trained through the CLI"
    from protulm.cli import main
    out = tmp_path_factory.mktemp('tag')/'tagger'
    rc = main(['residue', 'finetune', str(rdata.dir/'train.csv'), '--valid', str(rdata.dir/'valid.csv'), '--encoders', rdata.lms,
               '--mask-col', 'mask', '--out', str(out), *FAST])
    assert rc in (0, None)
    return out

def test_finetune_bundle(tagger):
    c = json.loads((tagger/'config.json').read_text())
    assert c['kind'] == 'protulm-residue-classifier' and c['direction'] == 'fwd+bwd' and c['labels'] == ['C', 'H']
    assert c['residue_config']['directions'] == ['fwd', 'bwd'] and c['train']['n_train'] == 60
    sd = torch.load(tagger/'tagger.pth', weights_only=True)
    assert any(k.startswith('encs.1.') for k in sd) and 'head.1.weight' in sd

def test_predict_and_evaluate(protulm, rdata, tagger, tmp_path):
    r = protulm('residue', 'predict', tagger, rdata.dir/'test.fasta', '--out', tmp_path/'p.csv', '--probs', tmp_path/'p.npz')
    assert r.returncode == 0, r.stderr
    p = pd.read_csv(tmp_path/'p.csv', dtype=str)
    test = rdata.df[75:]
    assert p.id.tolist() == test.id.tolist() and p.pred.str.len().tolist() == test.seq.str.len().tolist() and set(''.join(p.pred)) <= {'C', 'H'}
    z = np.load(tmp_path/'p.npz')
    assert z['probs'].shape == (test.seq.str.len().sum(), 2) and np.allclose(z['probs'].sum(1), 1, atol=1e-5) and list(z['labels']) == ['C', 'H']
    r = protulm('residue', 'evaluate', tagger, rdata.dir/'test.csv', '--mask-col', 'mask', '--out', tmp_path/'ev')
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path/'ev'/'metrics.json').read_text())
    res = m['results']['tagger (fwd+bwd)']
    assert res['n_residues'] == int((test.seq.str.len() - 1).sum()) and 0 <= res['residue_accuracy'] <= 1
    assert {f.name for f in (tmp_path/'ev').iterdir()} >= {'per_class.csv', 'confusion.png', 'per_protein.png', 'predictions.csv'}

def test_predict_streams(protulm_here, rdata, tagger, tmp_path):
    "Chunked, the command writes the same files; a bad record in a later chunk leaves the previous output whole and no scratch file"
    r = protulm_here('residue', 'predict', tagger, rdata.dir/'test.fasta', '--out', tmp_path/'p.csv', '--probs', tmp_path/'p.npz', '--no-progress')
    assert r.returncode == 0, r.stderr
    r = protulm_here('residue', 'predict', tagger, rdata.dir/'test.fasta', '--out', tmp_path/'c.csv', '--probs', tmp_path/'c.npz', '--chunk', '4', '--no-progress')
    assert r.returncode == 0, r.stderr
    assert (tmp_path/'c.csv').read_text() == (tmp_path/'p.csv').read_text()
    r = protulm_here('residue', 'predict', tagger, rdata.dir/'test.fasta', '--out', tmp_path/'z.zip', '--chunk', '4', '--no-progress')
    assert r.returncode == 0, r.stderr  # a .zip holds one CSV named after it, the chunks archived once
    import zipfile; assert zipfile.ZipFile(tmp_path/'z.zip').namelist() == ['z.csv'] and zipfile.ZipFile(tmp_path/'z.zip').read('z.csv').decode() == (tmp_path/'p.csv').read_text()
    (tmp_path/'z.zip').unlink()
    a,b = np.load(tmp_path/'p.npz'),np.load(tmp_path/'c.npz')
    assert all((a[k] == b[k]).all() for k in ('ids', 'offsets', 'labels')) and np.allclose(a['probs'], b['probs'], atol=1e-5)
    recs = (rdata.dir/'test.fasta').read_text() + '>bad\nMKV1L\n'
    (tmp_path/'bad.fasta').write_text(recs)
    before = {f.name: f.read_bytes() for f in tmp_path.iterdir()}
    r = protulm_here('residue', 'predict', tagger, tmp_path/'bad.fasta', '--out', tmp_path/'c.csv', '--probs', tmp_path/'c.npz', '--chunk', '4')
    one_line_error((r.returncode, r.stdout, r.stderr), 'residue predict', "record 'bad'", "invalid character '1'")
    assert {f.name: f.read_bytes() for f in tmp_path.iterdir() if f.name != 'bad.fasta'} == {k: v for k,v in before.items() if k != 'bad.fasta'}

def _ctrl_c(*args): raise KeyboardInterrupt

@pytest.mark.parametrize('where', ['archiving', 'renaming'])
def test_predict_pair_interrupted(protulm_here, rdata, tagger, tmp_path, monkeypatch, where):
    "Ctrl-C while --out is archived, or between the renames of --out and --probs: the old pair, or the new pair, never one of each"
    import signal, protulm.core as core
    pair = lambda: {p: (tmp_path/p).read_bytes() for p in ('rx.tar.xz', 'rx.npz')}
    predict = lambda src: protulm_here('residue', 'predict', tagger, src, '--out', tmp_path/'rx.tar.xz', '--probs', tmp_path/'rx.npz', '--no-progress')
    rdata.df[75:].to_csv(tmp_path/'a.csv', index=False); rdata.df[75:].iloc[::-1].to_csv(tmp_path/'b.csv', index=False)
    assert predict(tmp_path/'a.csv').returncode == 0
    old,swap = pair(),core.swap_in
    with monkeypatch.context() as m:
        if where == 'archiving': m.setattr(core, 'archive_member', _ctrl_c)
        else: m.setattr(core, 'swap_in', lambda *a: (swap(*a), signal.raise_signal(signal.SIGINT))[0])  # a Ctrl-C just after each rename
        r = predict(tmp_path/'b.csv')
    assert r.returncode == 130 and r.stderr.strip().splitlines()[-1].startswith('protulm residue predict: interrupted'), r.stderr
    ids = pd.read_csv(tmp_path/'rx.tar.xz', dtype=str).id.tolist()
    assert list(np.load(tmp_path/'rx.npz')['ids']) == ids == rdata.df[75:].id.tolist()[::1 if where == 'archiving' else -1]
    if where == 'archiving': assert pair() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a.csv', 'b.csv', 'rx.npz', 'rx.tar.xz']

def test_long_protein_every_residue(protulm_here, tagger, tmp_path):
    "A protein far longer than the training windows (32) gets a label for every residue"
    (tmp_path/'long.fasta').write_text('>long\n' + 'MKVLAGHESTW' * 300 + '\n')
    r = protulm_here('residue', 'predict', tagger, tmp_path/'long.fasta', '--out', tmp_path/'p.csv')
    assert r.returncode == 0, r.stderr
    assert len(pd.read_csv(tmp_path/'p.csv').pred[0]) == 3300

def test_bad_residue_input(cli, rdata, tmp_path):
    bad = rdata.df[:20].copy(); bad.loc[3, 'labels'] = bad.loc[3, 'labels'][:-1]
    bad.to_csv(tmp_path/'short.csv', index=False)
    one_line_error(cli('residue', 'finetune', tmp_path/'short.csv', '--encoders', rdata.lms, '--out', tmp_path/'o', *FAST),
                   'residue finetune', 'short.csv', f"record '{bad.id[3]}'", 'labels for')
    bad = rdata.df[:20].copy(); bad.loc[2, 'mask'] = '2' * len(bad.seq[2])
    bad.to_csv(tmp_path/'mask.csv', index=False)
    one_line_error(cli('residue', 'finetune', tmp_path/'mask.csv', '--mask-col', 'mask', '--encoders', rdata.lms, '--out', tmp_path/'o', *FAST),
                   'residue finetune', 'the mask must be one 0 or 1 per residue')
    va = rdata.df[60:70].copy(); va['labels'] = va.seq.map(lambda s: 'E' * len(s))
    va.to_csv(tmp_path/'va.csv', index=False)
    one_line_error(cli('residue', 'finetune', rdata.dir/'train.csv', '--valid', tmp_path/'va.csv', '--encoders', rdata.lms, '--out', tmp_path/'o', *FAST),
                   'residue finetune', "not among the 2 training labels, e.g. ['E']")
    one_line_error(cli('residue', 'finetune', rdata.dir/'train.csv', '--encoders', f"{rdata.dir/'lm_bwd'},{rdata.dir/'lm_fwd'}", '--out', tmp_path/'o', *FAST),
                   'residue finetune', 'is a bwd LM, not fwd')
    assert not (tmp_path/'o').exists()

def test_subword_lm_refused(cli, rdata, tmp_path):
    from protulm.pretrain import pretrain
    from protulm.tokenize import SubwordTokenizer
    tok = SubwordTokenizer.train(rdata.df.seq, vocab_sz=100)
    pretrain(rdata.df.seq, tmp_path/'lm_sw', tok=tok, preset='tiny', epochs=1, bs=8, progress=False, precision='fp32', device='cpu')
    one_line_error(cli('residue', 'finetune', rdata.dir/'train.csv', '--encoders', tmp_path/'lm_sw', '--directions', 'fwd', '--out', tmp_path/'o', *FAST),
                   'residue finetune', 'per-residue labels need residue tokens')

def test_fully_masked_proteins_train(protulm_here, rdata, tmp_path):
    "Proteins with every residue masked (unresolved chains) train: their windows are left out and counted; before, a batch of only them (the 8 longest) had a NaN loss and training stopped as diverged"
    m = rdata.df[:8].assign(id=lambda d: 'm' + d.id, seq=lambda d: d.seq.str.pad(80, fillchar='A'), labels=lambda d: d.labels.str.pad(80, fillchar='C'), mask='0' * 80)
    pd.concat([rdata.df[:60], m]).to_csv(tmp_path/'train.csv', index=False)
    r = protulm_here('residue', 'finetune', tmp_path/'train.csv', '--valid', rdata.dir/'valid.csv', '--encoders', rdata.lms, '--out', tmp_path/'tag', *FAST, '--max-len', '100')
    assert r.returncode == 0, r.stderr
    c = json.loads((tmp_path/'tag'/'config.json').read_text())
    assert c['train']['n_unscored_windows'] == dict(train=8, valid=0) and all(np.isfinite(v) for v in c['metrics'].values())

def test_lms_of_one_tokenizer(cli, rdata, tmp_path):
    "A backward LM whose residue tokenizer orders the alphabet otherwise would read the forward tokenizer's ids: refused"
    from protulm.pretrain import pretrain
    from protulm.tokenize import ResidueTokenizer, ALPHABET
    pretrain(rdata.df.seq[:20], tmp_path/'lm_rev', tok=ResidueTokenizer(ALPHABET[::-1]), backwards=True, preset='tiny', epochs=1, bs=8, progress=False, precision='fp32', device='cpu')
    one_line_error(cli('residue', 'finetune', rdata.dir/'train.csv', '--encoders', f"{rdata.dir/'lm_fwd'},{tmp_path/'lm_rev'}", '--out', tmp_path/'o', *FAST),
                   'residue finetune', 'lm_fwd and ', 'lm_rev: their tokenizers differ')
    assert not (tmp_path/'o').exists()

def test_bundle_safety(cli, rdata, tagger, tmp_path):
    "Outputs never overwrite inputs; a pickled payload in the weights is refused and never runs"
    one_line_error(cli('residue', 'predict', tagger, rdata.dir/'test.csv', '--out', rdata.dir/'test.csv'), 'residue predict', 'is an input of this command')
    import shutil
    b = tmp_path/'b'; shutil.copytree(tagger, b)
    plant_pickle(b/'tagger.pth', tmp_path/'pwned')
    rc,_,err = cli('residue', 'predict', b, rdata.dir/'test.fasta', '--out', tmp_path/'p.csv')
    assert rc == 1 and 'tagger.pth' in err and not (tmp_path/'pwned').exists() and not (tmp_path/'p.csv').exists()

@pytest.mark.skipif(shared_data() is None, reason='needs the shared data directory (PROTULM_DATA)')
def test_flip_ss_splits():
    from protulm.data import load_dataset
    d = {s: load_dataset('flip_ss', s) for s in ('train', 'valid', 'test')}
    assert {s: len(v) for s,v in d.items()} == dict(train=9712, valid=1080, test=364)
    for v in d.values():
        assert (v['labels'].str.len() == v.seq.str.len()).all() and (v['mask'].str.len() == v.seq.str.len()).all()
        assert set(''.join(v['labels'][:200])) <= set('CEH')
    assert not set(d['train'].id) & set(d['test'].id)
