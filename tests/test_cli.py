"The `protulm` command end to end, as a user runs it."
import pytest
from protulm.tokenize import load_tokenizer
from protulm.data import DATASETS
from conftest import FIX, shared_data

def test_help(protulm_here):
    r = protulm_here('--help')
    assert r.returncode == 0 and 'tokenizer train' in r.stdout and 'data list' in r.stdout
    r = protulm_here('tokenizer', 'train', '--help')
    assert r.returncode == 0 and '--vocab-size' in r.stdout
    assert protulm_here('frobnicate').returncode == 2
    r = protulm_here('pretrain', 'x.fa', '--epochs', 'two')
    assert r.returncode == 2 and r.stderr == "protulm pretrain: error: argument --epochs: invalid int value: 'two' (`protulm pretrain --help` lists its options)\n", r.stderr  # before: the usage, 5 lines, then the error

def test_data_list_empty_dir(protulm_here, tmp_path):
    r = protulm_here('data', 'list', '--data', tmp_path/'none')
    assert r.returncode == 0, r.stderr
    rows = {l.split()[0]: l.split() for l in r.stdout.splitlines()[2:]}
    assert set(rows) == set(DATASETS) and all(row[3] == 'no' for row in rows.values())
    assert 'https://storage.googleapis.com/brain-genomics-public/research/proteins/pfam/random_split/' in r.stdout

@pytest.mark.skipif(shared_data() is None, reason='needs the shared data directory (PROTULM_DATA)')
def test_data_list_shared(protulm_here):
    r = protulm_here('data', 'list')
    assert r.returncode == 0, r.stderr
    rows = {l.split()[0]: l.split() for l in r.stdout.splitlines()[2:]}
    for name in ('remote_homology', 'scop', 'signalp', 'neuropeptide', 'stability', 'refseq_proteomes',
                 'pfam_subset', 'kinbase_group', 'kinbase_family', 'scl2205'):
        assert rows[name][3] == 'yes', r.stdout
    assert rows['pfam_random_split'][3] == 'no' and rows['kinase'][3] == 'no'

def test_data_get_from_mirror(protulm, protulm_here, tmp_path):
    mirror = tmp_path/'mirror'; mirror.mkdir()
    for s in ('train', 'test'): (mirror/f'scop.{s}.csv').write_text('seq,label\nMKVL,a\nMSTN,b\n')
    data = tmp_path/'data'
    r = protulm('data', 'get', 'scop', '--data', data, '--base-url', mirror.as_uri()+'/')
    assert r.returncode == 0, r.stderr
    assert (data/'proteinbert'/'scop.test.csv').read_text().startswith('seq,label')
    assert not list(data.rglob('.*.tmp-*'))  # no temporary file of a download left
    r = protulm_here('data', 'get', 'scop', '--data', data, '--base-url', (tmp_path/'nowhere').as_uri()+'/', '--force')
    assert r.returncode == 1 and 'downloading' in r.stderr and 'Traceback' not in r.stderr
    assert protulm_here('data', 'get', 'kinase', '--data', data).returncode == 1

def test_tokenizer_train(protulm, protulm_here, tmp_path):
    r = protulm('tokenizer', 'train', FIX/'tiny.fasta', FIX/'tiny.csv', '--kind', 'subword', '--vocab-size', '180', '--out', tmp_path/'tok')
    assert r.returncode == 0, r.stderr
    tok = load_tokenizer(tmp_path/'tok')
    assert len(tok) == 180 and tok.decode(tok.encode('MKVLUO')) == 'MKVLUO'
    assert 'on 128 of 128 sequences' in r.stdout, r.stdout
    r = protulm_here('tokenizer', 'train', FIX/'tiny.fasta', FIX/'tiny.csv', '--vocab-size', '100', '--max-sentences', '50', '--out', tmp_path/'tok50')
    assert r.returncode == 0 and 'on 50 of 128 sequences' in r.stdout, r.stdout  # before: 'on 128 sequences', the corpus, not the sample
    r = protulm_here('tokenizer', 'train', FIX/'tiny.fasta', '--kind', 'residue', '--out', tmp_path/'res')
    assert r.returncode == 0 and len(load_tokenizer(tmp_path/'res')) == 29

@pytest.mark.parametrize('content,name,msg', [
    ('>a\nMKV\n>b\nMK?V\n', 'bad.fa', "record 'b' (#2): invalid character '?' at position 3"),
    ('', 'empty.fa', 'empty file'),
    ('sequence\nMKV\n', 'cols.csv', "missing column(s) ['seq']"),
])
def test_tokenizer_train_bad_input(protulm_here, tmp_path, content, name, msg):
    p = tmp_path/name; p.write_text(content)
    r = protulm_here('tokenizer', 'train', p, '--out', tmp_path/'tok')
    assert r.returncode == 1 and msg in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert not (tmp_path/'tok').exists()

def test_tokenizer_train_bad_vocab(protulm_here, tmp_path):
    r = protulm_here('tokenizer', 'train', FIX/'tiny.fasta', '--vocab-size', '50', '--out', tmp_path/'tok')
    assert r.returncode == 1 and 'between 100 and 32,000' in r.stderr

@pytest.mark.parametrize('args,says', [
    (['tokenizer', 'train', FIX/'tiny.fasta', '--seed', '-1'], '--seed -1: must be a whole number from 0 to 4294967295'),  # before: SentencePiece's TypeError
    (['corpus', 'build', FIX/'tiny.fasta', '--exclude', ''], "exclude '': give an exclusion file"),  # before: the benchmark exclusion silently off
    (['sample', 'protulm-small-fwd', '--seed', '-1'], '--seed -1: must be a whole number'),
])
def test_bad_option_values(protulm_here, tmp_path, args, says):
    r = protulm_here(*args, '--out', tmp_path/'o') if args[0] != 'sample' else protulm_here(*args)
    assert r.returncode == 1 and says in r.stderr and r.stderr.count('\n') == 1, r.stderr
    assert not (tmp_path/'o').exists()

def test_bench_tokenize_smoke(protulm_here, tmp_path):
    r = protulm_here('bench', 'tokenize', FIX/'tiny.fasta', '--vocab-sizes', '150', '--out', tmp_path/'t.md')
    assert r.returncode == 0, r.stderr
    assert 'fastai default' in r.stdout and 'x_fastai' in r.stdout
    assert (tmp_path/'t.md').read_text().startswith('| method |')
