"Every `protulm bench` command refuses, before any benchmark runs, to write its results over a file it reads: a dataset's file (named or the default corpus) or a model."
import shutil
import pytest
from conftest import one_line_error

def _fasta(ids, seqs): return ''.join(f'>{i}\n{s}\n' for i,s in zip(ids, seqs))

def _flip_ss(d, toy):
    "A toy `flip_ss` in its layout: C/H by the next residue, 3/5 train, 1/5 valid, 1/5 test"
    lab = toy.seq.map(lambda s: ''.join('H' if i < len(s) - 1 and s[i+1] in 'AVILMFWC' else 'C' for i in range(len(s))))
    n = len(toy) // 5
    sets = ['SET=train VALIDATION=False']*(3*n) + ['SET=train VALIDATION=True']*n + ['SET=test VALIDATION=False']*(len(toy) - 4*n)
    (d/'flip_ss').mkdir(parents=True)
    (d/'flip_ss'/'sequences.fasta').write_text(_fasta(toy.id, toy.seq))
    (d/'flip_ss'/'sampled.fasta').write_text(_fasta([f'{i} {t}' for i,t in zip(toy.id, sets)], lab))
    (d/'flip_ss'/'mask.fasta').write_text(_fasta(toy.id, toy.seq.map(lambda s: '0' + '1'*(len(s) - 1))))

@pytest.fixture
def fake(tmp_path, tiny):
    "A data directory (scop's splits uncompressed, toy RefSeq proteomes, a toy flip_ss) and a copy of a tiny LM; the bytes of every data file"
    from types import SimpleNamespace
    from protulm.data import REFSEQ_PROTEOMES
    d,toy = tmp_path/'data',tiny.toy
    (d/'proteinbert').mkdir(parents=True); (d/'refseq_proteomes').mkdir()
    for s,rows in (('train', toy[:160]), ('test', toy[200:])): rows[['seq', 'label']].to_csv(d/'proteinbert'/f'scop.{s}.csv', index=False)
    for i,p in enumerate(REFSEQ_PROTEOMES): (d/'refseq_proteomes'/f'{p}.faa').write_text(_fasta(toy.id[i::len(REFSEQ_PROTEOMES)], toy.seq[i::len(REFSEQ_PROTEOMES)]))
    _flip_ss(d, toy[:100].reset_index(drop=True))
    lm = shutil.copytree(tiny.lm, tmp_path/'lm')
    return SimpleNamespace(data=d, lm=lm, clas=tiny.clas, work=tmp_path/'work', saved=_bytes(d, lm, tiny.clas))

def _bytes(*ds): return {f: f.read_bytes() for d in ds for f in sorted(d.rglob('*')) if f.is_file()}

def _refused(cli, fake, cmd, args, says):
    "`protulm bench CMD ARGS` is one line containing `says`; no data file, model or LM changed, nothing cached"
    one_line_error(cli('bench', cmd, *args, '--data', fake.data), f'bench {cmd}', says)
    assert _bytes(fake.data, fake.lm, fake.clas) == fake.saved and not fake.work.exists()

def test_bench_predict_dataset(cli, fake):
    "The audit's command: `scop:test` read, then written over with the table (before: its file replaced by markdown)"
    out = fake.data/'proteinbert'/'scop.test.csv'
    _refused(cli, fake, 'predict', [fake.clas, 'scop:test', '--methods', 'fp32', '--limit', '20', '--out', out], f'{out}: is an input of this command')

@pytest.mark.parametrize('corpus', [['scop:train'], []], ids=['dataset', 'default-corpus'])
def test_bench_tokenize_corpus(cli, fake, corpus):
    out = fake.data/('proteinbert/scop.train.csv' if corpus else 'refseq_proteomes/ecoli_proteins.faa')
    _refused(cli, fake, 'tokenize', [*corpus, '--limit', '50', '--vocab-sizes', '100', '--no-fastai', '--out', out], f'{out}: is an input of this command')

@pytest.mark.parametrize('corpus', [['scop:train'], []], ids=['dataset', 'default-corpus'])
def test_bench_pretrain_corpus(cli, fake, corpus):
    out = fake.data/('proteinbert/scop.train.csv' if corpus else 'refseq_proteomes/ecoli_proteins.faa')
    _refused(cli, fake, 'pretrain', [*corpus, '--presets', 'tiny', '--budget', '1', '--vocab-sizes', '', '--precisions', 'fp32', '--no-fastai',
                                     '--n-train', '40', '--n-valid', '10', '--out', out], f'{out}: is an input of this command')

def test_bench_tasks_dataset(cli, fake):
    "STEM.csv in a dataset's directory is that dataset's file (before: replaced by the results after the k-mer baseline ran)"
    _refused(cli, fake, 'tasks', ['--lms', '', '--tasks', 'scop', '--baselines', 'kmer', '--n-valid', '30', '--work', fake.work,
                                  '--out', fake.data/'proteinbert', '--stem', 'scop.test'], 'scop.test.csv: is an input of this command')

def test_bench_tokenizers_lm(cli, fake):
    _refused(cli, fake, 'tokenizers', ['--lms', f'residue={fake.lm}', '--tasks', 'scop', '--report-only', '--work', fake.work, '--out', fake.lm],
             f'lies inside {fake.lm}, an input of this command')

def test_bench_residue_lm(cli, fake):
    _refused(cli, fake, 'residue', ['--lms', f'fwd={fake.lm},bwd={fake.lm}', '--methods', 'majority', '--n-train', '0', '--work', fake.work, '--out', fake.lm],
             f'lies inside {fake.lm}, an input of this command')
