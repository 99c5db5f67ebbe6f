"Task benchmark, embeddings and the Pfam/kinase recipes end to end through the CLI, on fixtures in the real layouts."
import json, os, sys
import numpy as np
import pandas as pd
import pytest
from protulm.data import toy_proteins, make_pfam_fixture
from protulm.recipes import make_kinase_fixture

TINY = ['--lms', 'scratch', '--preset', 'tiny', '--max-len', '64', '--bs', '16', '--stages', '1:1:1,all:1:0.5', '--precision', 'fp32', '--no-progress']

@pytest.fixture(scope='module')
def pfam_data(tmp_path_factory):
    d = tmp_path_factory.mktemp('pdata')
    toy = toy_proteins(150, n_classes=3, seed=9)
    make_pfam_fixture(d/'pfam', [(f'Fam{l[-1]}', f'PF0000{l[-1]}.1', s) for s,l in zip(toy.seq, toy.label)], n_shards=2)
    return d

def test_recipe_pfam(protulm, pfam_data, tmp_path):
    r = protulm('recipe', 'pfam', '--dataset', 'pfam_random_split', '--data', pfam_data, '--out', tmp_path/'run', *TINY)
    assert r.returncode == 0, r.stderr
    md = (tmp_path/'run'/'results.md').read_text()
    assert 'ProtCNN (published, full data)' in md and 'Seconds per epoch' in md and 'ensemble' in md
    m = json.loads((tmp_path/'run'/'eval'/'metrics.json').read_text())
    assert set(m['results']) == {'clas_fwd (fwd)', 'clas_bwd (bwd)', 'ensemble'} and m['n'] == 150

def test_recipe_pfam_missing_shard(protulm_here, pfam_data, tmp_path):
    import shutil
    d = tmp_path/'broken'; shutil.copytree(pfam_data, d)
    (d/'pfam'/'random_split'/'test'/'data-00001-of-00002').unlink()
    r = protulm_here('recipe', 'pfam', '--dataset', 'pfam_random_split', '--data', d, '--out', tmp_path/'run', *TINY)
    assert r.returncode == 1 and 'found 1 of 2 shards' in r.stderr and 'Traceback' not in r.stderr

def test_recipe_kinase(protulm, tmp_path):
    make_kinase_fixture(tmp_path/'kdata')
    r = protulm('recipe', 'kinase', '--dataset', 'kinase', '--data', tmp_path/'kdata', '--out', tmp_path/'run', '--vocab-size', '120', *TINY)
    assert r.returncode == 0, r.stderr
    sub = pd.read_csv(tmp_path/'run'/'submission.csv')
    smp = pd.read_csv(tmp_path/'kdata'/'kinase'/'SampleSubmission.csv')
    assert sub.ID.tolist() == smp.ID.tolist() and list(sub.columns) == list(smp.columns)
    assert np.allclose(sub.iloc[:, 1:].sum(axis=1), 1, atol=1e-6)
    md = (tmp_path/'run'/'results.md').read_text()
    assert 'Zindi 3rd place' in md and 'unigram 120' in md
    b = json.loads((tmp_path/'run'/'clas_fwd'/'config.json').read_text())
    assert b['tokenizer']['kind'] == 'subword' and b['tokenizer']['vocab_sz'] == 120

def test_recipe_kinase_without_files(protulm_here, tmp_path):
    r = protulm_here('recipe', 'kinase', '--dataset', 'kinase', '--data', tmp_path, '--out', tmp_path/'run', *TINY)
    assert r.returncode == 1 and 'register on Zindi' in r.stderr
    r = protulm_here('recipe', 'kinase', '--data', tmp_path, '--out', tmp_path/'run', *TINY)
    assert r.returncode == 1 and 'kinase_domain_opisthokont.fa not found. To get it: protulm data get kinbase_group' in r.stderr
    assert 'Traceback' not in r.stderr and not (tmp_path/'run').exists()

def test_recipe_kinase_sample_submission(protulm_here, tmp_path):
    "A sample submission named but not there, or named for a dataset without one, is one line before any work (before: protulm's own layout, or ignored)"
    make_kinase_fixture(tmp_path/'kdata')
    r = protulm_here('recipe', 'kinase', '--dataset', 'kinase', '--data', tmp_path/'kdata', '--out', tmp_path/'run', '--sample-submission', tmp_path/'kdata'/'kinase'/'SampleSubmision.csv', *TINY)
    assert r.returncode == 1 and 'SampleSubmision.csv: no such sample submission' in r.stderr and 'Traceback' not in r.stderr, r.stderr
    r = protulm_here('recipe', 'kinase', '--dataset', 'kinbase_group', '--data', tmp_path/'kdata', '--out', tmp_path/'run', '--sample-submission', tmp_path/'kdata'/'kinase'/'SampleSubmission.csv', *TINY)
    assert r.returncode == 1 and 'only --dataset kinase (the Zindi files) follows a sample submission, not kinbase_group' in r.stderr and 'Traceback' not in r.stderr, r.stderr
    assert not (tmp_path/'run').exists()

def test_recipe_task_competition_files(protulm, protulm_here, tmp_path):
    "Zindi-style files without --id-col: the submission's IDs are Test.csv's ID column; its empty target column is no labels (before: row numbers; refused)"
    d = make_kinase_fixture(tmp_path/'kdata', n=120, n_test=20)
    test = pd.read_csv(d/'Test.csv', dtype=str).assign(target='')
    test.to_csv(tmp_path/'Test.csv', index=False)
    args = ['recipe', 'task', d/'Train.csv', '--test', tmp_path/'Test.csv', '--seq-col', 'Sequence', '--label-col', 'target']
    r = protulm(*args, '--out', tmp_path/'run', *TINY)
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(tmp_path/'run'/'submission.csv', dtype=str).ID.tolist() == test.ID.tolist()
    md = (tmp_path/'run'/'results.md').read_text()
    assert "Test IDs: column 'ID' of" in md and "Test labels: column 'target' of" in md and 'not scored' in md
    assert "Test IDs: column 'ID' of" in r.stdout + r.stderr and not (tmp_path/'run'/'eval').exists()
    test.assign(target=['AGC'] + ['']*19).to_csv(tmp_path/'Test2.csv', index=False)  # some labels missing: refused, as in training tables
    r = protulm_here(*args[:3], '--test', tmp_path/'Test2.csv', *args[5:], '--out', tmp_path/'run2', *TINY)
    assert r.returncode == 1 and "Test2.csv: missing label in column 'target' at rows 3, 4" in r.stderr and not (tmp_path/'run2').exists(), r.stderr

def test_recipe_pfam_subset(protulm, pfam_data, tmp_path):
    "The 100-family subset's layout: three CSVs `family_accession,sequence`; a label submission"
    from protulm.data import read_pfam
    d = tmp_path/'data'/'pfam_subset'; d.mkdir(parents=True)
    for s,f in (('train', 'train'), ('dev', 'validation'), ('test', 'test')):
        df = read_pfam(pfam_data/'pfam'/'random_split'/s)
        df.rename(columns=dict(label='family_accession', seq='sequence'))[['family_accession', 'sequence']].to_csv(d/f'{f}_100.csv', index=False)
    r = protulm('recipe', 'pfam', '--data', tmp_path/'data', '--out', tmp_path/'run', '--keep-best', *TINY)
    assert r.returncode == 0, r.stderr
    for k in ('fwd', 'bwd'): assert json.loads((tmp_path/'run'/f'clas_{k}'/'config.json').read_text())['train']['keep_best'] is True
    sub = pd.read_csv(tmp_path/'run'/'submission.csv', dtype=str)
    test = pd.read_csv(d/'test_100.csv', dtype=str)
    assert list(sub.columns) == ['id', 'family_accession'] and len(sub) == len(test)
    assert set(sub.family_accession) <= set(test.family_accession)
    md = (tmp_path/'run'/'results.md').read_text()
    assert 'pfam_subset' in md and 'one epoch over the full split' in md and 'ProtCNN' in md

def kinbase_fixture(dest, n=180, seed=5):
    "A KinBase FASTA in the real header format: toy sequences, every species of the split, 3 groups of 2 families"
    from protulm.data import KINBASE_SPLITS
    toy = toy_proteins(n, n_classes=3, seed=seed)
    sp = [s for v in KINBASE_SPLITS.values() for s in v]
    recs = [f'>K{i}.kin_dom class=G{l[-1]}:F{l[-1]}{i % 2}: gene=K{i} species="{sp[i % len(sp)]}"\n{s}' for i,(s,l) in enumerate(zip(toy.seq, toy.label))]
    (dest/'kinbase').mkdir(parents=True)
    (dest/'kinbase'/'kinase_domain_opisthokont.fa').write_text('\n'.join(recs) + '\n')
    return dest

def test_recipe_kinbase(protulm, protulm_here, tmp_path):
    data = kinbase_fixture(tmp_path/'data')
    r = protulm('recipe', 'kinase', '--dataset', 'kinbase_family', '--data', data, '--out', tmp_path/'run', '--keep-best', '--blend', 'hmm', *TINY)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path/'run'/'clas_bwd'/'config.json').read_text())['train']['keep_best'] is True
    sub = pd.read_csv(tmp_path/'run'/'submission.csv')
    assert sub.columns[0] == 'ID' and sorted(sub.columns[1:]) == sorted(f'F{c}{k}' for c in range(3) for k in range(2))
    assert len(sub) == 40 and np.allclose(sub.iloc[:, 1:].sum(axis=1), 1, atol=1e-6)  # Human and Mouse: 2 of every 9 records
    m = json.loads((tmp_path/'run'/'eval'/'metrics.json').read_text())
    assert m['n'] == 40 and set(m['results']) == {'clas_fwd (fwd)', 'clas_bwd (bwd)', 'hmm (profile HMMs)', 'ensemble'}  # --blend hmm: profile HMMs blended in
    assert json.loads((tmp_path/'run'/'ensemble.json').read_text())['members'] == ['clas_fwd', 'clas_bwd', 'hmm']
    assert 'Species held out' in (tmp_path/'run'/'results.md').read_text()
    r = protulm_here('recipe', 'kinase', '--dataset', 'kinbase_species', '--data', data, '--out', tmp_path/'run2', *TINY)
    assert r.returncode == 1 and 'expected one of kinbase_group, kinbase_family, kinase' in r.stderr

def test_recipe_task(protulm, tmp_path):
    "Your own tables: training CSV, a labelled test CSV with its own ID column; phmmer and the k-mer model blended in; a label submission"
    toy = toy_proteins(150, n_classes=3, seed=4).rename(columns=dict(seq='Sequence', label='target'))
    toy['target'] = toy.target.map(dict(class0='1.10', class1='1.1', class2='007'))  # labels kept verbatim
    toy[:120].to_csv(tmp_path/'train.csv', index=False)
    toy[120:].rename(columns=dict(id='Id')).to_csv(tmp_path/'test.csv', index=False)
    args = ['recipe', 'task', tmp_path/'train.csv', '--test', tmp_path/'test.csv', '--seq-col', 'Sequence', '--label-col', 'target', '--id-col', 'Id']
    r = protulm(*args, '--out', tmp_path/'run', '--blend', 'phmmer,kmer', '--weights-for', 'accuracy', '--submit-labels', 'target', *TINY)
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path/'run'/'eval'/'metrics.json').read_text())
    assert m['n'] == 30 and set(m['results']) == {'clas_fwd (fwd)', 'clas_bwd (bwd)', 'phmmer (phmmer)', 'kmer (k-mer)', 'ensemble'}
    assert json.loads((tmp_path/'run'/'ensemble.json').read_text())['members'] == ['clas_fwd', 'clas_bwd', 'phmmer', 'kmer']
    sub = pd.read_csv(tmp_path/'run'/'submission.csv', dtype=str)
    assert list(sub.columns) == ['Id', 'target'] and sub.Id.tolist() == toy.id[120:].tolist() and set(sub.target) <= {'1.10', '1.1', '007'}
    md = (tmp_path/'run'/'results.md').read_text()
    assert 'protulm task recipe' in md and 'Training rows: 108 of' in md and 'validation rows: 12 of' in md and 'held out (stratified)' in md
    assert 'no training row has: 0 of 30' in md and 'Ensemble weights fit for accuracy' in md
    w = json.loads((tmp_path/'run'/'ensemble.json').read_text())['weights']
    assert len(w) == 4 and np.allclose(np.array(w) * 20 % 1, 0, atol=1e-9)  # the accuracy fit's grid: steps of 0.05
    assert (tmp_path/'run'/'phmmer'/'phmmer_db.csv').exists() and (tmp_path/'run'/'kmer'/'kmer.npz').exists()

def test_recipe_task_refuses(protulm_here, tmp_path):
    "Bad options are one line before any training; the run never writes where its inputs are"
    toy_proteins(60, n_classes=2, seed=1).to_csv(tmp_path/'train.csv', index=False)
    for bad,msg in ((['--blend', 'kmer,phmmers'], "unknown baseline 'phmmers'"), (['--blend', 'kmer,kmer'], 'a baseline named twice'),
                    (['--lms', 'fwd'], 'expected shipped, scratch, or fwd=LM,bwd=LM'),
                    (['--weights-for', 'f1'], 'expected one of log_loss, accuracy'),
                    (['--lms', 'scratch', '--bs', '1'], '--bs 1: must be at least 2'),  # before: both LMs pretrained first
                    (['--lms', 'scratch', '--stages', '1:1:inf'], 'lr_mult a finite number')):
        r = protulm_here('recipe', 'task', tmp_path/'train.csv', '--out', tmp_path/'run', *bad)
        assert r.returncode == 1 and msg in r.stderr and 'Traceback' not in r.stderr and not (tmp_path/'run').exists(), (bad, r.stderr)
    r = protulm_here('recipe', 'task', tmp_path/'train.csv', '--out', tmp_path, '--no-progress')
    assert r.returncode == 1 and 'holds' in r.stderr and 'an input of this command' in r.stderr
    r = protulm_here('recipe', 'task', tmp_path/'nothere.csv', '--out', tmp_path/'run')
    assert r.returncode == 1 and 'nothere.csv' in r.stderr and 'Traceback' not in r.stderr
    test = toy_proteins(10, n_classes=2, seed=2); test.to_csv(tmp_path/'test.csv', index=False)
    pd.DataFrame({'id': test.id, 'class0': 0.5, 'class9': 0.5}).to_csv(tmp_path/'sample.csv', index=False)  # a class the training rows lack
    r = protulm_here('recipe', 'task', tmp_path/'train.csv', '--test', tmp_path/'test.csv', '--id-col', 'id', '--sample-submission', tmp_path/'sample.csv', '--out', tmp_path/'run')
    assert r.returncode == 1 and "sample.csv: sample submission has class column(s) the model does not predict: ['class9']" in r.stderr, r.stderr
    assert not (tmp_path/'run').exists()  # said before any training (before: after fine-tuning both classifiers)
    (tmp_path/'model').mkdir(); (tmp_path/'model'/'config.json').write_text('{"kind": "protulm-regressor"}')  # a model: no place for a run
    for cmd in ('task', 'regress'):
        r = protulm_here('recipe', cmd, tmp_path/'train.csv', '--out', tmp_path/'model')
        assert r.returncode == 1 and 'model: is a regressor bundle; a recipe writes its run into a directory of its own' in r.stderr, r.stderr
    assert sorted(p.name for p in (tmp_path/'model').iterdir()) == ['config.json']

@pytest.fixture(scope='module')
def task_data(tmp_path_factory):
    "A data directory with a toy SCOP task, and tiny fwd/bwd LMs"
    from protulm.pretrain import pretrain
    d = tmp_path_factory.mktemp('tdata')
    toy = toy_proteins(260, n_classes=3, seed=3)
    (d/'proteinbert').mkdir()
    toy[:200][['seq', 'label']].to_csv(d/'proteinbert'/'scop.train.csv', index=False)
    toy[200:][['seq', 'label']].to_csv(d/'proteinbert'/'scop.test.csv', index=False)
    for k in ('fwd', 'bwd'):
        pretrain(toy.seq, d/f'lm_{k}', preset='tiny', epochs=1, bs=8, backwards=k == 'bwd', progress=False, precision='fp32')
    return d

def test_bench_tasks_resumes(protulm, task_data, tmp_path):
    args = ['bench', 'tasks', '--lms', f"fwd={task_data/'lm_fwd'},bwd={task_data/'lm_bwd'}", '--tasks', 'scop', '--data', task_data,
            '--n-train', '120', '--n-valid', '40', '--max-len', '64', '--stages', '1:1:1', '--work', tmp_path/'work', '--out', tmp_path/'res']
    r = protulm(*args, '--baselines', 'kmer')
    assert r.returncode == 0, r.stderr
    first = {f.name: f.stat().st_mtime_ns for f in (tmp_path/'work'/'scop').glob('*.json')}
    assert set(first) == {'ulmfit_fwd.json', 'ulmfit_bwd.json', 'ulmfit_ensemble.json', 'kmer.json'}
    r = protulm(*args, '--baselines', 'kmer,phmmer')
    assert r.returncode == 0, r.stderr
    after = {f.name: f.stat().st_mtime_ns for f in (tmp_path/'work'/'scop').glob('*.json')}
    assert {k: after[k] for k in first} == first and 'phmmer.json' in after  # cached rows kept, the new one added
    t = pd.read_csv(tmp_path/'res'/'tasks.csv')
    assert sorted(t.method) == sorted(['ulmfit fwd', 'ulmfit bwd', 'ulmfit ensemble', 'kmer', 'phmmer'])
    assert (tmp_path/'res'/'tasks.png').stat().st_size > 0 and '| scop | kmer |' in (tmp_path/'res'/'tasks.md').read_text()
    r = protulm(*args, '--baselines', 'hmm')  # the profile HMM per class, calibrated: accuracy and log loss
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path/'res'/'tasks.csv').set_index('method')
    assert len(t) == 6 and all(0 <= t.accuracy[b] <= 1 and 0 < t.log_loss[b] < 20 for b in ('hmm', 'phmmer'))  # both calibrated

def test_bench_tasks_unknown_names(protulm_here, task_data, tmp_path):
    base = ['bench', 'tasks', '--lms', '', '--data', task_data, '--work', tmp_path/'work']
    for extra,msg in ((['--tasks', 'scop', '--baselines', 'kmer,blast'], "unknown baseline 'blast'"), (['--tasks', 'scop,nope'], "unknown task 'nope'")):
        r = protulm_here(*base, *extra)
        assert r.returncode != 0 and msg in r.stderr, r.stderr
    assert not (tmp_path/'work').exists()  # checked before any work

def test_bench_tasks_missing_pyhmmer(cli, task_data, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, 'pyhmmer', None)  # import pyhmmer now raises ImportError
    rc,out,err = cli('bench', 'tasks', '--lms', f"fwd={task_data/'lm_fwd'}", '--tasks', 'scop', '--data', task_data, '--n-train', '120',
                     '--max-len', '64', '--stages', '1:1:1', '--baselines', 'kmer,hmm', '--work', tmp_path/'work', '--out', tmp_path/'res')
    assert rc != 0 and "pip install 'protulm[bench]'" in err and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path/'work').exists()  # said before fine-tuning, not after

def test_embed_cli(protulm, protulm_here, task_data, tmp_path):
    src = task_data/'proteinbert'/'scop.test.csv'
    r = protulm('embed', task_data/'lm_fwd', src, '--label-col', 'label', '--out', tmp_path/'e.npz', '--plot', tmp_path/'p.png', '--method', 'pca')
    assert r.returncode == 0, r.stderr
    z = np.load(tmp_path/'e.npz', allow_pickle=False)
    assert z['emb'].shape == (60, 32) and len(z['ids']) == 60 and (tmp_path/'p.png').exists()
    r = protulm_here('embed', task_data/'lm_fwd', src, '--pool', 'sum', '--out', tmp_path/'x.npz')
    assert r.returncode == 1 and "pool='sum'" in r.stderr
    pd.read_csv(src)[['seq']].to_csv(tmp_path/'nolabel.csv', index=False)
    r = protulm_here('embed', task_data/'lm_fwd', tmp_path/'nolabel.csv', '--out', tmp_path/'x.npz', '--plot', tmp_path/'q.png')
    assert r.returncode == 1 and '--plot needs labels' in r.stderr
    r = protulm_here('embed', tmp_path, src, '--out', tmp_path/'x.npz')
    assert r.returncode == 1 and 'not a protulm bundle' in r.stderr

def test_recipes_never_write_into_inputs(cli, pfam_data, task_data, tmp_path):
    "A run directory that is, holds or lies inside what the run reads (a dataset's files, an LM given, the sample submission) is one line before any training (before: the run was written there, or refused after training)"
    import shutil
    from conftest import one_line_error
    fast = ['--max-len', '64', '--bs', '16', '--stages', '1:1:1', '--precision', 'fp32', '--no-progress']  # should the check be gone: a toy run
    shutil.copytree(task_data/'proteinbert', tmp_path/'d'/'proteinbert')
    lms = f"fwd={task_data/'lm_fwd'},bwd={task_data/'lm_bwd'}"
    one_line_error(cli('recipe', 'task', 'scop', '--data', tmp_path/'d', '--lms', lms, '--out', tmp_path/'d'/'proteinbert', *fast), 'recipe task', 'proteinbert: holds', 'scop.train.csv')
    for d,lm in (('mylm', 'lm_fwd'), ('mylmb', 'lm_bwd')): shutil.copytree(task_data/lm, tmp_path/'run'/d)
    one_line_error(cli('recipe', 'task', tmp_path/'d'/'proteinbert'/'scop.train.csv', '--lms', 'fwd=run/mylm,bwd=run/mylmb', '--out', 'run', *fast), 'recipe task', 'run: holds run/mylm')
    make_kinase_fixture(tmp_path/'kd'); (tmp_path/'krun3').mkdir()
    shutil.copy(tmp_path/'kd'/'kinase'/'SampleSubmission.csv', tmp_path/'krun3'/'submission.csv')
    one_line_error(cli('recipe', 'kinase', '--dataset', 'kinase', '--data', tmp_path/'kd', '--sample-submission', 'krun3/submission.csv', '--out', 'krun3', *TINY), 'recipe kinase', 'krun3: holds')
    shutil.copytree(pfam_data, tmp_path/'pd')
    one_line_error(cli('recipe', 'pfam', '--dataset', 'pfam_random_split', '--data', tmp_path/'pd', '--out', tmp_path/'pd'/'pfam', *TINY), 'recipe pfam', 'pfam: holds')
    one_line_error(cli('recipe', 'kinase', '--data', kinbase_fixture(tmp_path/'kb'), '--out', tmp_path/'kb'/'kinbase', *TINY), 'recipe kinase', 'kinbase: holds')
    assert sorted(p.name for p in (tmp_path/'d'/'proteinbert').iterdir()) == ['scop.test.csv', 'scop.train.csv'] and sorted(p.name for p in (tmp_path/'run').iterdir()) == ['mylm', 'mylmb']
    assert [p.name for p in (tmp_path/'krun3').iterdir()] == ['submission.csv'] and not (tmp_path/'pd'/'pfam'/'results.md').exists()
