"Classifier commands end to end, and their bad-input cases: finetune, predict, evaluate, submit, ensemble."
import json, shutil
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
from protulm.data import toy_proteins
from protulm.classifier import load_classifier

FAST = ['--no-progress', '--precision', 'fp32', '--bs', '16']

@pytest.fixture(scope='module')
def work(tmp_path_factory):
    "Toy train/valid/test tables, a tiny forward and backward LM, and a classifier from each, trained through the CLI (in this process: the installed command's own runs are the tests')"
    from protulm.cli import main
    d = tmp_path_factory.mktemp('work')
    toy = toy_proteins(360, n_classes=3, seed=21)
    toy[:240].to_csv(d/'train.csv', index=False)
    toy[240:300].to_csv(d/'valid.csv', index=False)
    test = toy[300:].rename(columns={'id': 'ID', 'seq': 'Sequence', 'label': 'target'})
    test.to_csv(d/'test_labelled.csv', index=False)
    test[['ID', 'Sequence']].to_csv(d/'test.csv', index=False)
    run = lambda *a: main([str(x) for x in a])  # its error, if any, is in the captured stderr
    for direction in ('fwd', 'bwd'):
        assert run('pretrain', d/'train.csv', '--out', d/f'lm_{direction}', '--preset', 'tiny', '--epochs', '1', '--bs', '8',
                   '--no-progress', '--precision', 'fp32', *(['--backwards'] if direction == 'bwd' else [])) == 0
        assert run('finetune', d/'train.csv', '--encoder', d/f'lm_{direction}', '--valid', d/'valid.csv', '--out', d/f'clas_{direction}',
                   '--stages', '1:1:1,all:1:0.2', *FAST) == 0
    return d

def test_finetune_bundle(work):
    b = load_classifier(work/'clas_bwd')
    assert b.config['direction'] == 'bwd' and b.labels == ['class0', 'class1', 'class2']
    assert b.temperature > 0 and set(b.config['metrics']) == {'valid_accuracy', 'valid_log_loss', 'valid_log_loss_calibrated'}
    assert b.config['metrics']['valid_log_loss_calibrated'] <= b.config['metrics']['valid_log_loss'] + 1e-6
    assert (work/'clas_fwd'/'history.csv').exists() and (work/'clas_fwd'/'loss.png').exists()

def test_predict(protulm, work):
    r = protulm('predict', work/'clas_fwd', work/'clas_bwd', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'ID', '--out', work/'p.csv')
    assert r.returncode == 0, r.stderr
    p = pd.read_csv(work/'p.csv')
    assert list(p.columns) == ['id', 'pred', 'pred_prob', 'top2', 'top2_prob', 'top3', 'top3_prob'] and len(p) == 60
    assert p.id.tolist() == pd.read_csv(work/'test.csv').ID.tolist()

def test_evaluate_with_unknown_label(protulm, work):
    df = pd.read_csv(work/'test_labelled.csv'); df.loc[0, 'target'] = 'never_seen'
    df.to_csv(work/'test_unk.csv', index=False)
    r = protulm('evaluate', work/'clas_fwd', work/'clas_bwd', work/'test_unk.csv', '--seq-col', 'Sequence', '--label-col', 'target',
                '--id-col', 'ID', '--out', work/'eval')
    assert r.returncode == 0, r.stderr
    assert 'never seen in training' in r.stdout and 'ensemble' in r.stdout
    m = json.loads((work/'eval'/'metrics.json').read_text())
    assert m['unknown_labels'] == ['never_seen'] and m['results']['ensemble']['n_unknown_labels'] == 1
    for f in ('confusion.png', 'reliability.png', 'per_class.csv', 'predictions.csv'): assert (work/'eval'/f).exists()

def test_submit_with_sample(protulm, work):
    ids = pd.read_csv(work/'test.csv').ID.tolist()
    sample = pd.DataFrame({'ID': ids[::-1], 'class2': 0.3, 'class0': 0.3, 'class1': 0.4})
    sample.to_csv(work/'sample.csv', index=False)
    r = protulm('submit', work/'clas_fwd', work/'clas_bwd', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'ID',
                '--sample-submission', work/'sample.csv', '--out', work/'sub.csv')
    assert r.returncode == 0, r.stderr
    s = pd.read_csv(work/'sub.csv')
    assert list(s.columns) == ['ID', 'class2', 'class0', 'class1'] and s.ID.tolist() == ids[::-1]
    assert np.allclose(s.iloc[:, 1:].sum(axis=1), 1, atol=1e-6) and not s.isna().any().any()

def test_ensemble_file(protulm, work):
    r = protulm('ensemble', work/'clas_fwd', work/'clas_bwd', '--valid', work/'valid.csv', '--out', work/'ens'/'ensemble.json')
    assert r.returncode == 0, r.stderr
    d = json.loads((work/'ens'/'ensemble.json').read_text())
    assert abs(sum(d['weights']) - 1) < 1e-9 and len(d['members']) == 2
    r = protulm('predict', work/'ens'/'ensemble.json', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'ID', '--out', work/'pe.csv')
    assert r.returncode == 0, r.stderr

def _fails(r, msg):
    assert r.returncode == 1, r.stdout + r.stderr
    assert msg in r.stderr and 'Traceback' not in r.stderr, r.stderr

def test_unknown_valid_labels(protulm_here, work, tmp_path):
    "Validation rows whose label training lacks (a held-out species' own family) are left out and said; none left is an error"
    v = pd.read_csv(work/'valid.csv'); v.loc[0, 'label'] = 'class9'; v.to_csv(tmp_path/'v.csv', index=False)
    r = protulm_here('finetune', work/'train.csv', '--encoder', work/'lm_fwd', '--valid', tmp_path/'v.csv', '--out', tmp_path/'c', *FAST)
    assert r.returncode == 0, r.stderr
    assert f"validation data ({tmp_path/'v.csv'}): 1 row(s) left out, their 1 label(s) not among the 3 training labels: ['class9']" in r.stdout, r.stdout
    assert json.loads((tmp_path/'c'/'config.json').read_text())['train']['n_valid'] == len(v) - 1
    r = protulm_here('ensemble', work/'clas_fwd', work/'clas_bwd', '--valid', tmp_path/'v.csv', '--out', tmp_path/'e.json')
    assert r.returncode == 0 and f"validation data ({tmp_path/'v.csv'}): 1 row(s) left out" in r.stdout, r.stderr
    v['label'] = 'class9'; v.to_csv(tmp_path/'v9.csv', index=False)
    _fails(protulm_here('finetune', work/'train.csv', '--encoder', work/'lm_fwd', '--valid', tmp_path/'v9.csv', '--out', tmp_path/'c9', *FAST),
           f"validation data ({tmp_path/'v9.csv'}): none of its labels is among the 3 training labels, e.g. ['class9']")  # the file named
    _fails(protulm_here('ensemble', work/'clas_fwd', work/'clas_bwd', '--valid', tmp_path/'v9.csv', '--out', tmp_path/'e9.json'), 'none of its labels')
    assert not (tmp_path/'c9').exists() and not (tmp_path/'e9.json').exists()

@pytest.mark.parametrize('content,msg', [('seq,label\n', 'no rows, only a header'), ('', 'empty file')])
def test_empty_input(protulm_here, work, tmp_path, content, msg):
    (tmp_path/'e.csv').write_text(content)
    _fails(protulm_here('finetune', tmp_path/'e.csv', '--encoder', work/'lm_fwd', '--out', tmp_path/'c', *FAST), msg)
    _fails(protulm_here('predict', work/'clas_fwd', tmp_path/'e.csv', '--out', tmp_path/'p.csv'), msg)
    assert not (tmp_path/'p.csv').exists()

def test_wrong_id_column(protulm_here, work, tmp_path):
    _fails(protulm_here('submit', work/'clas_fwd', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'Id', '--out', tmp_path/'s.csv'),
           "missing column(s) ['Id']")
    assert not (tmp_path/'s.csv').exists()

@pytest.mark.parametrize('sample,msg', [
    ('Id,class0,class1,class2\nx,1,0,0\n', "sample submission has no 'ID' column"),
    ('ID,class0,class1\n{ids}', "class(es) missing from the sample submission: ['class2']"),
    ('ID,class0,class1,class2,class3\n{ids}', "class column(s) the model does not predict: ['class3']"),
    ('ID,class0,class1,class2\nID_x,1,0,0\n', 'test IDs and sample submission IDs differ'),
    ('ID,class0,class1,class2\nID_x,1,0,0\nID_x,1,0,0\n', 'repeats IDs'),
    ('', 'not a CSV sample submission'),
])
def test_malformed_sample_submission(protulm_here, work, tmp_path, sample, msg):
    ids = pd.read_csv(work/'test.csv').ID.tolist()
    ncls = sample.split('\n')[0].count(',')
    (tmp_path/'sample.csv').write_text(sample.format(ids=''.join(f'{i}' + ',0'*ncls + '\n' for i in ids)))
    _fails(protulm_here('submit', work/'clas_fwd', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'ID',
                   '--sample-submission', tmp_path/'sample.csv', '--out', tmp_path/'s.csv'), msg)
    assert not (tmp_path/'s.csv').exists()

@pytest.mark.parametrize('missing', ['clas.pth', 'config.json', 'labels.json', 'tokenizer.json'])
def test_model_dir_missing_file(protulm_here, work, tmp_path, missing):
    shutil.copytree(work/'clas_fwd', tmp_path/'m')
    (tmp_path/'m'/missing).unlink()
    r = protulm_here('predict', tmp_path/'m', work/'test.csv', '--seq-col', 'Sequence', '--out', tmp_path/'p.csv')
    _fails(r, 'missing' if missing != 'tokenizer.json' else 'no tokenizer.model or tokenizer.json')

def test_ensemble_label_mismatch(protulm_here, work, tmp_path):
    t = pd.read_csv(work/'train.csv'); t = t[t.label != 'class2']; t.to_csv(tmp_path/'t2.csv', index=False)
    r = protulm_here('finetune', tmp_path/'t2.csv', '--encoder', work/'lm_fwd', '--out', tmp_path/'c2', '--stages', '1:1:1', *FAST)
    assert r.returncode == 0, r.stderr
    _fails(protulm_here('predict', work/'clas_fwd', tmp_path/'c2', work/'test.csv', '--seq-col', 'Sequence', '--out', tmp_path/'p.csv'),
           'ensemble members must be trained on the same label set')

def test_classifier_portable_fresh_process(work, tmp_path):
    "A classifier bundle copied elsewhere loads in a new process (weights_only) and predicts what the original predicts"
    import subprocess, sys
    moved = tmp_path/'other'/'place'
    shutil.copytree(work/'clas_bwd', moved)
    code = """
import sys, json
from protulm.classifier import load_classifier, predict_proba
b = load_classifier(sys.argv[1])
print(json.dumps(predict_proba(b, ['MKVLAAGIVGLLAKKE', 'MSTNPKPQRKTKRNTNRRPQDVKFPGG']).tolist()))
"""
    outs = [subprocess.run([sys.executable, '-c', code, str(p)], capture_output=True, text=True, cwd='/') for p in (work/'clas_bwd', moved)]
    for r in outs: assert r.returncode == 0, r.stderr
    assert np.allclose(json.loads(outs[0].stdout), json.loads(outs[1].stdout), atol=1e-6)

def test_compressed_outputs_in_chunks(protulm_here, work, tmp_path):
    "predict and submit write a .zip or .tar.gz written a chunk at a time as one CSV named after it, and a .csv.gz as it comes: each reads back as the plain CSV"
    import zipfile, tarfile
    args = [work/'clas_fwd', work/'clas_bwd', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'ID', '--chunk', '7', '--no-progress', '--precision', 'fp32']
    for cmd in ('predict', 'submit'):  # 60 rows: 9 chunks
        r = protulm_here(cmd, *args, '--out', tmp_path/f'{cmd}.csv')
        assert r.returncode == 0, r.stderr
        plain = pd.read_csv(tmp_path/f'{cmd}.csv', dtype=str)
        for name in (f'{cmd}.zip', f'{cmd}.tar.gz', f'{cmd}.csv.gz', f'{cmd}.csv.zip'):
            r = protulm_here(cmd, *args, '--out', tmp_path/name)
            assert r.returncode == 0 and 'Warning' not in r.stderr, r.stderr
            pd.testing.assert_frame_equal(pd.read_csv(tmp_path/name, dtype=str), plain)
        assert zipfile.ZipFile(tmp_path/f'{cmd}.zip').namelist() == [f'{cmd}.csv'] == zipfile.ZipFile(tmp_path/f'{cmd}.csv.zip').namelist()
        assert tarfile.open(tmp_path/f'{cmd}.tar.gz').getnames() == [f'{cmd}.csv']
    ids = pd.read_csv(work/'test.csv').ID.tolist()
    pd.DataFrame({'ID': ids[::-1], 'class2': 0.3, 'class0': 0.3, 'class1': 0.4}).to_csv(tmp_path/'sample.csv', index=False)
    r = protulm_here('submit', *args[:7], '--sample-submission', tmp_path/'sample.csv', '--out', tmp_path/'sub.csv.zip', '--no-progress')
    assert r.returncode == 0, r.stderr  # written at once: one member too
    assert zipfile.ZipFile(tmp_path/'sub.csv.zip').namelist() == ['sub.csv'] and pd.read_csv(tmp_path/'sub.csv.zip').ID.tolist() == ids[::-1]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith('.')]

def test_ensemble_through_symlinked_folder(protulm_here, work, tmp_path):
    "ensemble.json names its members as the user named them, '/'-separated: a project reached through a symlink copies whole; a member that does not load names the file"
    store,proj = tmp_path/'store',tmp_path/'proj'
    for d in ('clas_fwd', 'clas_bwd'): shutil.copytree(work/d, store/d)
    proj.mkdir(); (proj/'models').symlink_to(store, target_is_directory=True)
    r = protulm_here('ensemble', proj/'models'/'clas_fwd', proj/'models'/'clas_bwd', '--out', proj/'ensemble.json')
    assert r.returncode == 0, r.stderr
    assert json.loads((proj/'ensemble.json').read_text())['members'] == ['models/clas_fwd', 'models/clas_bwd']  # before: '../store/clas_fwd'
    shutil.copytree(proj, tmp_path/'copy'); shutil.rmtree(store)  # the copy holds the models; the originals are gone
    pred = ['--seq-col', 'Sequence', '--id-col', 'ID', '--no-progress', '--out']
    r = protulm_here('predict', tmp_path/'copy'/'ensemble.json', work/'test.csv', *pred, tmp_path/'p.csv')
    assert r.returncode == 0, r.stderr
    _fails(protulm_here('predict', proj/'ensemble.json', work/'test.csv', *pred, tmp_path/'p2.csv'), f"{proj/'ensemble.json'}: member 'models/clas_fwd' does not load")
    d = json.loads((tmp_path/'copy'/'ensemble.json').read_text()); d['members'] = ['models\\clas_fwd', 'models\\clas_bwd']  # as Windows' relpath wrote them
    (tmp_path/'copy'/'win.json').write_text(json.dumps(d))
    _fails(protulm_here('predict', tmp_path/'copy'/'win.json', work/'test.csv', *pred, tmp_path/'p3.csv'), "win.json: member 'models\\\\clas_fwd' does not load")

def test_label_submission_with_sample_message(protulm_here, work, tmp_path):
    "A label submission and a sample submission together: the message names the column, right for submit's --label-col and recipe task's --submit-labels (whose --label-col is the training label)"
    (tmp_path/'sample.csv').write_text('ID,class0,class1,class2\n')
    _fails(protulm_here('submit', work/'clas_fwd', work/'test.csv', '--seq-col', 'Sequence', '--id-col', 'ID', '--label-col', 'target',
                        '--sample-submission', tmp_path/'sample.csv', '--out', tmp_path/'s.csv'),
           "a label submission (predicted labels in column 'target') takes no sample submission; give one or the other")
    r = protulm_here('recipe', 'task', work/'train.csv', '--test', work/'valid.csv', '--lms', f"fwd={work/'lm_fwd'}", '--id-col', 'id', '--label-col', 'label',
                     '--sample-submission', tmp_path/'sample.csv', '--submit-labels', 'family', '--out', tmp_path/'r', '--no-progress')
    _fails(r, "a label submission (predicted labels in column 'family') takes no sample submission")
    assert '--label-col' not in r.stderr and not (tmp_path/'r').exists()

def test_make_submission_sample_frame(work, tmp_path):
    "make_submission takes a sample submission already read (a DataFrame) as submission_frame does, checked as a CSV one is"
    from protulm.submit import make_submission
    from protulm.core import DataError
    test = pd.read_csv(work/'test.csv').rename(columns={'ID': 'id', 'Sequence': 'seq'})
    sample = pd.DataFrame({'ID': test.id[::-1].tolist(), 'class2': 0.3, 'class0': 0.3, 'class1': 0.4})
    s = pd.read_csv(make_submission([work/'clas_fwd'], test, tmp_path/'s.csv', sample=sample))
    assert list(s.columns) == ['ID', 'class2', 'class0', 'class1'] and s.ID.tolist() == sample.ID.tolist()
    with pytest.raises(DataError, match=r"sample \(a DataFrame\): sample submission repeats IDs"):
        make_submission([work/'clas_fwd'], test, tmp_path/'s2.csv', sample=pd.concat([sample, sample]))
    assert not (tmp_path/'s2.csv').exists()
