"The real Pfam, kinase and localisation datasets: read through the registry and taken by every command that takes a dataset name."
import json
import pandas as pd
import pytest
from conftest import shared_data

pytestmark = pytest.mark.skipif(shared_data() is None, reason='needs the shared data directory (PROTULM_DATA)')

SIZES = {  # rows per split; KinBase: 3,392 records less 11 without a protein sequence (5 empty, 5 'N/A', 1 database reference)
    'pfam_subset': dict(train=13345, valid=1611, test=1611),
    'kinbase_group': dict(train=2061, valid=239, test=1081),
    'kinbase_family': dict(train=2061, valid=239, test=1081),
    'scl2205': dict(train=15183, valid=1260, test=2631),
}

@pytest.mark.parametrize('name', SIZES)
def test_real_dataset_splits(name):
    from protulm.data import load_dataset
    dfs = {s: load_dataset(name, s) for s in SIZES[name]}
    assert {s: len(d) for s,d in dfs.items()} == SIZES[name]
    for d in dfs.values(): assert {'id', 'seq', 'label'} <= set(d.columns) and d.seq.str.len().min() > 0
    shared = dfs['test'].seq.isin(set(dfs['train'].seq)).sum()
    assert shared == (17 if name == 'scl2205' else 0)  # SCL2205: 17 test proteins have a training protein of identical sequence (other entries)

def test_real_labels_verbatim():
    from protulm.data import load_dataset
    assert load_dataset('pfam_subset', 'test').label.str.fullmatch(r'PF\d{5}\.\d+').all()
    assert load_dataset('kinbase_group', 'train').label.nunique() == 12
    k = load_dataset('kinbase_family', 'test')
    assert set(k.species) == {'Human', 'Mouse'} and (k.label == k.family).all()
    s = load_dataset('scl2205', 'valid')
    assert 'Cytoplasm;Nucleus' in set(s.label) and s.scl.str.fullmatch(r'\d+').all()

def test_commands_take_real_datasets(protulm_here, tiny, tmp_path):
    "predict and evaluate read the new datasets by name, like any file"
    r = protulm_here('predict', tiny.clas, 'kinbase_group:test', '--out', tmp_path/'p.csv')
    assert r.returncode == 0, r.stderr
    p = pd.read_csv(tmp_path/'p.csv', dtype=str)
    assert len(p) == 1081 and p.id.iloc[0].endswith('.kin_dom')
    r = protulm_here('evaluate', tiny.clas, 'pfam_subset:test', '--out', tmp_path/'ev')
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path/'ev'/'metrics.json').read_text())
    from protulm.data import load_dataset
    assert m['n'] == 1611 and len(m['unknown_labels']) == load_dataset('pfam_subset', 'test').label.nunique()  # the toy classifier knows no family

def test_submit_label_column(protulm_here, tiny, tmp_path):
    r = protulm_here('submit', tiny.clas, tiny.test, '--id-col', 'id', '--label-col', 'label', '--out', tmp_path/'s.csv')
    assert r.returncode == 0, r.stderr
    s = pd.read_csv(tmp_path/'s.csv', dtype=str)
    assert list(s.columns) == ['id', 'label'] and s.id.tolist() == pd.read_csv(tiny.test, dtype=str).id.tolist()
    assert set(s.label) <= set(tiny.toy.label)
    r = protulm_here('submit', tiny.clas, tiny.test, '--id-col', 'id', '--label-col', 'label', '--sample-submission', tiny.test, '--out', tmp_path/'s2.csv')
    assert r.returncode == 1 and 'takes no sample submission' in r.stderr and not (tmp_path/'s2.csv').exists()

def test_dataset_of_another_task(cli, tiny, tmp_path):
    "A registered dataset of another task is refused by name before any training: stability's scores are no classes (before: 422 'classes')"
    from conftest import one_line_error
    one_line_error(cli('finetune', 'stability:valid', '--encoder', tiny.lm, '--out', tmp_path/'c', '--no-progress'), 'finetune',
                   'stability:valid: a regression dataset, not classification (protulm regress finetune or recipe regress take it)')
    one_line_error(cli('recipe', 'task', 'stability', '--out', tmp_path/'r', '--no-progress'), 'recipe task', 'stability:train: a regression dataset, not classification')
    one_line_error(cli('regress', 'finetune', 'scop:test', '--encoder', tiny.lm, '--out', tmp_path/'g', '--no-progress'), 'regress finetune',
                   'scop:test: a classification dataset, not regression (protulm finetune or recipe task take it)')
    assert list(tmp_path.iterdir()) == []

def test_tokenizer_corpus_without_benchmark_tests(protulm_here, tmp_path):
    "A tokenizer trained on a registered pretraining corpus never reads the benchmark test sequences (as `corpus build`)"
    r = protulm_here('tokenizer', 'train', 'refseq_proteomes', '--vocab-size', '100', '--max-sentences', '300', '--out', tmp_path/'tok')
    assert r.returncode == 0, r.stderr
    assert 'refseq_proteomes: 108 benchmark test sequences left out (exclude/benchmark_test_sequences.tsv.gz)' in r.stdout, r.stdout
    assert 'of 48,749 sequences' in r.stdout, r.stdout  # 48,857 less the 108
    r = protulm_here('tokenizer', 'train', 'refseq_proteomes', '--vocab-size', '100', '--max-sentences', '300', '--exclude', 'none', '--out', tmp_path/'tok_all')
    assert r.returncode == 0 and 'of 48,857 sequences' in r.stdout and 'left out' not in r.stdout, r.stdout  # read whole, as before (an earlier run reproduced)
