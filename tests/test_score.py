"`protulm score` end to end: forward and backward LMs on FASTA and CSV input, and its bad-input cases."
import math
import numpy as np
import pandas as pd
import pytest
import torch
from protulm.data import read_fasta

FIX = __import__('pathlib').Path(__file__).resolve().parents[1]/'data'/'fixtures'
ONE_THREAD = {'OMP_NUM_THREADS': '1'}  # tiny models run fastest on one thread; on a busy machine, OpenMP threads waiting for each other cost a minute

@pytest.fixture(scope='module', autouse=True)
def one_thread():
    n = torch.get_num_threads(); torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)

@pytest.fixture(scope='module')
def lms(tmp_path_factory):
    "A tiny forward and backward LM trained on the fixture proteins"
    from protulm.pretrain import pretrain
    d = tmp_path_factory.mktemp('lms')
    seqs = read_fasta(FIX/'tiny.fasta').seq.tolist()
    kw = dict(preset='tiny', epochs=1, precision='fp32', device='cpu', progress=False, bs=8)
    return pretrain(seqs, d/'lm_fwd', **kw), pretrain(seqs, d/'lm_bwd', backwards=True, **kw)

def test_score_fwd_bwd(protulm, lms, tmp_path):
    r = protulm('score', *lms, FIX/'tiny.fasta', '--out', tmp_path/'s.csv', '--bs', '16', env=ONE_THREAD)
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(tmp_path/'s.csv')
    assert list(df.columns) == ['id', 'length', 'll_fwd', 'bits_fwd', 'll_bwd', 'bits_bwd', 'bits_mean']
    fa = read_fasta(FIX/'tiny.fasta')
    assert df.id.tolist() == fa.id.tolist() and df.length.tolist() == fa.seq.str.len().tolist()
    assert np.allclose(df.bits_fwd, -df.ll_fwd / math.log(2) / df.length) and np.allclose(df.bits_mean, (df.bits_fwd + df.bits_bwd) / 2)
    line = next(l for l in r.stdout.splitlines() if l.startswith('corpus:'))
    fwd = -df.ll_fwd.sum() / math.log(2) / df.length.sum()
    assert line.startswith(f"corpus: 64 sequences, {df.length.sum():,} residues; fwd {fwd:.3f} bits/residue, bwd ") and ', mean ' in line
    assert [p.name for p in tmp_path.iterdir()] == ['s.csv']

def test_score_csv_matches_fasta(cli, lms, tmp_path):
    "A table in another row order gives the same scores per ID; two forward LMs are named by their directories"
    fa = read_fasta(FIX/'tiny.fasta')
    fa[['id', 'seq']].iloc[::-1].rename(columns={'seq': 'sequence'}).to_csv(tmp_path/'t.csv', index=False)
    rc,out,err = cli('score', lms[0], lms[0], tmp_path/'t.csv', '--seq-col', 'sequence', '--out', tmp_path/'a.csv', '--no-progress', '--bs', '5')
    assert rc == 0, err
    a = pd.read_csv(tmp_path/'a.csv')
    assert list(a.columns) == ['id', 'length', 'll_lm_fwd', 'bits_lm_fwd', 'll_lm_fwd_2', 'bits_lm_fwd_2']
    rc,_,err = cli('score', lms[0], FIX/'tiny.fasta', '--out', tmp_path/'b.csv', '--no-progress', '--bs', '64')
    assert rc == 0, err
    b = pd.read_csv(tmp_path/'b.csv').set_index('id').loc[a.id]
    assert np.allclose(a.ll_lm_fwd, b.ll_fwd.values, atol=1e-4) and np.allclose(a.ll_lm_fwd_2, a.ll_lm_fwd)

def test_score_bad_input(cli, lms, tmp_path):
    bad = tmp_path/'bad.fasta'; bad.write_text('>a\nMKV\n>b\nMK?V\n')
    rc,out,err = cli('score', *lms, bad, '--out', tmp_path/'s.csv')
    assert rc == 1 and len(err.strip().splitlines()) == 1
    assert err.startswith(f"protulm score: error: {bad}, record 'b' (#2): invalid character '?' at position 3")
    assert not (tmp_path/'s.csv').exists()

def test_score_refuses_out_as_input(cli, lms, tmp_path):
    f = tmp_path/'in.fasta'; f.write_text((FIX/'tiny.fasta').read_text())
    rc,_,err = cli('score', lms[0], f, '--out', f)
    assert rc == 1 and err.strip() == f"protulm score: error: {f}: is an input of this command ({f}); write the output elsewhere"
    assert f.read_text() == (FIX/'tiny.fasta').read_text()
    rc,_,err = cli('score', f, '--out', tmp_path/'s.csv')
    assert rc == 1 and 'give at least one LM' in err

def test_shipped_lm_by_name(cli, tmp_path):
    "`score` and `embed` take a shipped LM by its name, at any precision; fp32 is what the Python API gives"
    from protulm.embed import embed
    fa = read_fasta(FIX/'tiny.fasta')
    rc,out,err = cli('embed', 'protulm-small-fwd', FIX/'tiny.fasta', '--out', tmp_path/'e.csv', '--no-progress', '--precision', 'fp32')
    assert rc == 0 and '(mean pooling, fp32)' in out, err
    e = pd.read_csv(tmp_path/'e.csv')
    assert e.id.tolist() == fa.id.tolist()
    np.testing.assert_allclose(e.iloc[:, 1:].values, embed('protulm-small-fwd', fa.seq.tolist(), precision='fp32'), atol=1e-5)
    rc,out,err = cli('score', 'protulm-small-bwd', FIX/'tiny.fasta', '--out', tmp_path/'s.csv', '--no-progress', '--precision', 'int8')
    assert rc == 0 and '(int8)' in out, err
    assert pd.read_csv(tmp_path/'s.csv').bits_bwd.between(2, 6).all()

def test_score_zip_in_chunks(cli, lms, tmp_path):
    "A .zip output written a chunk at a time holds one CSV named after it, equal to the plain output"
    import zipfile
    args = (lms[0], FIX/'tiny.fasta', '--no-progress', '--chunk', '10')
    assert cli('score', *args, '--out', tmp_path/'s.csv')[0] == 0
    rc,_,err = cli('score', *args, '--out', tmp_path/'s.zip')
    assert rc == 0, err
    assert zipfile.ZipFile(tmp_path/'s.zip').namelist() == ['s.csv']
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path/'s.zip'), pd.read_csv(tmp_path/'s.csv'))

def test_score_nan_total(cli, lms, tmp_path, monkeypatch):
    "An LM that gives some sequences NaN (damaged weights) gets a NaN corpus total, with a count, not the total of the rest over all residues"
    from protulm import score
    from protulm.tokenize import PAD_IDX
    fwd = score.InferenceLM.forward
    def nan_long(self, x, *args, **kwargs):  # sequences longer than 60 residues get NaN
        nll = fwd(self, x, *args, **kwargs); nll[(x != PAD_IDX).sum(1) - 2 > 60] = float('nan'); return nll
    monkeypatch.setattr(score.InferenceLM, 'forward', nan_long)
    rc,out,err = cli('score', lms[0], FIX/'tiny.fasta', '--out', tmp_path/'s.csv', '--no-progress', '--chunk', '10', '--precision', 'fp32')
    assert rc == 0, err
    df,n = pd.read_csv(tmp_path/'s.csv'),(read_fasta(FIX/'tiny.fasta').seq.str.len() > 60).sum()
    assert 0 < n < len(df) and df.ll_fwd.isna().sum() == n
    line = next(l for l in out.splitlines() if l.startswith('corpus:'))
    assert f"residues; fwd nan bits/residue; fwd: {n} sequences have no finite log-likelihood" in line, line  # before: a finite, too low number
