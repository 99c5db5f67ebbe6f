"Regression end to end through the CLI: fine-tune on a table with its own column names, predict a submission, evaluate, refusals."
import json, shutil
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import one_line_error

FAST = ['--stages', '1:1:1,all:1:0.5', '--bs', '16', '--no-progress', '--precision', 'fp32']

@pytest.fixture(scope='module')
def rdata(tiny, tmp_path_factory):
    "The session's toy proteins with a numeric target named `tm` (as Kaggle's enzyme-stability files name theirs) and IDs `seq_id`"
    d = tmp_path_factory.mktemp('reg')
    df = pd.DataFrame(dict(seq_id=[f'e{i}' for i in range(len(tiny.toy))], protein_sequence=tiny.toy.seq,
                           tm=[f'{40 + s.count("K") - s.count("E"):.1f}' for s in tiny.toy.seq]))
    for name,rows in (('train', df[:160]), ('valid', df[160:200]), ('test', df[200:])): rows.to_csv(d/f'{name}.csv', index=False)
    return d

COLS = ['--seq-col', 'protein_sequence', '--label-col', 'tm']

@pytest.fixture(scope='module')
def regs(tiny, rdata):
    "A forward regressor trained through the CLI (in this process) on the tables' own column names, and the session's LM"
    from protulm.cli import main
    assert main(['regress', 'finetune', str(rdata/'train.csv'), '--valid', str(rdata/'valid.csv'), '--encoder', str(tiny.lm), *COLS,
                 '--out', str(rdata/'reg'), *FAST]) in (0, None)
    return rdata/'reg'

def test_finetune_bundle(regs, rdata):
    c = json.loads((regs/'config.json').read_text())
    assert c['kind'] == 'protulm-regressor' and c['direction'] == 'fwd' and c['target']['name'] == 'tm'
    y = pd.read_csv(rdata/'train.csv').tm
    assert np.isclose(c['target']['mean'], y.mean()) and np.isclose(c['target']['std'], y.std(ddof=0))
    assert c['train']['n_train'] == 160 and c['train']['n_valid'] == 40 and c['metrics']['valid_n'] == 40
    sd = torch.load(regs/'reg.pth', weights_only=True)
    assert [v for v in sd.values() if v.ndim == 2][-1].shape[0] == 1  # the head's last layer: one output

def test_predict_submission(protulm, regs, rdata, tmp_path):
    "A Kaggle-style submission: the input's IDs verbatim under the header asked for, one number per protein, the input untouched"
    before = (rdata/'test.csv').read_bytes()
    r = protulm('regress', 'predict', regs, rdata/'test.csv', '--seq-col', 'protein_sequence', '--id-col', 'seq_id', '--id-name', 'seq_id',
                '--out', tmp_path/'submission.csv', '--no-progress', '--precision', 'fp32')
    assert r.returncode == 0, r.stderr
    s = pd.read_csv(tmp_path/'submission.csv', dtype={'seq_id': str})
    assert list(s.columns) == ['seq_id', 'tm'] and s.seq_id.tolist() == [f'e{i}' for i in range(200, 240)]
    assert s.tm.notna().all() and np.isfinite(s.tm).all() and (rdata/'test.csv').read_bytes() == before
    from protulm.regress import RegEnsemble
    e = RegEnsemble([regs]); e.precision = 'fp32'
    assert np.allclose(s.tm, e.predict(pd.read_csv(rdata/'test.csv').protein_sequence), atol=1e-4)

def test_evaluate(protulm, protulm_here, regs, tiny, rdata, tmp_path):
    "Two regressors (this one and the session's, trained on another target: refused), and this one with itself, weighted on --valid"
    r = protulm_here('regress', 'evaluate', regs, tiny.reg, rdata/'test.csv', *COLS, '--out', tmp_path/'ev')
    one_line_error((r.returncode, r.stdout, r.stderr), 'regress evaluate', "the regressors predict different targets: ['label', 'tm']")
    r = protulm('regress', 'evaluate', regs, rdata/'test.csv', *COLS, '--valid', rdata/'valid.csv', '--out', tmp_path/'ev', '--precision', 'fp32')
    assert r.returncode == 0, r.stderr
    m = json.loads((tmp_path/'ev'/'metrics.json').read_text())
    assert m['task'] == 'regression' and m['target'] == 'tm' and m['weights'] == [1.0] and set(m['results']) == {'reg (fwd)', 'ensemble'}
    assert m['results']['ensemble']['n'] == 40 and -1 <= m['results']['ensemble']['spearman'] <= 1
    assert {f.name for f in (tmp_path/'ev').iterdir()} == {'metrics.json', 'results.csv', 'predictions.csv', 'scatter.png'}

@pytest.mark.parametrize('cmd', ['finetune', 'recipe task', 'baseline kmer'])
def test_classifiers_refuse_measurements(cli, tiny, tmp_path, cmd):
    "A command that fits classes, given a table of measurements, says to fit a regressor instead of training a class per value"
    tiny.toy.assign(label=[f'{i * 0.37:.2f}' for i in range(len(tiny.toy))]).to_csv(tmp_path/'m.csv', index=False)
    o = tmp_path/'o'; o.mkdir()
    args = {'finetune': ['finetune', tmp_path/'m.csv', '--encoder', tiny.lm, '--out', o/'c', *FAST],
            'recipe task': ['recipe', 'task', tmp_path/'m.csv', '--lms', f'fwd={tiny.lm}', '--out', o/'r', *FAST],
            'baseline kmer': ['baseline', 'kmer', tmp_path/'m.csv', tiny.test, '--out', o/'b.csv']}[cmd]
    one_line_error(cli(*args), ' '.join(map(str, args[:2])) if cmd == 'recipe task' else args[0],
                   '240 distinct numeric labels in 240 rows', 'protulm regress finetune')
    assert not any(o.iterdir())

@pytest.mark.parametrize('label,msg', [(['hot'] * 3, "at index [0, 1, 2] (e.g. 'hot')"), (['inf', '1', '2'], 'at index [0]'),
                                       (['5', '5', '5'], 'every row has target 5')])
def test_bad_targets(cli, tiny, tmp_path, label, msg):
    "Targets that are not finite numbers, or all one value: one line naming the rows, nothing written"
    tiny.toy[:3].assign(label=label).to_csv(tmp_path/'t.csv', index=False)
    one_line_error(cli('regress', 'finetune', tmp_path/'t.csv', '--encoder', tiny.lm, '--valid', tiny.rvalid, '--out', tmp_path/'r', *FAST),
                   'regress finetune', msg)
    assert not (tmp_path/'r').exists()

@pytest.mark.parametrize('args,msg', [
    (lambda t,o: ['regress', 'predict', t.clas, t.rtest, '--out', o/'p.csv'], 'not a protulm regressor bundle; it is a classifier bundle'),
    (lambda t,o: ['predict', t.reg, t.test, '--out', o/'p.csv'], 'it is a regressor bundle'),
    (lambda t,o: ['regress', 'finetune', t.rtrain, '--encoder', t.reg, '--out', o/'r', *FAST], 'it is a regressor bundle'),
    (lambda t,o: ['regress', 'predict', t.reg, t.rtest, '--out', o/'p.csv', '--value-name', 'id'], "--id-name and --value-name are both 'id'"),
    (lambda t,o: ['regress', 'predict', t.reg, t.rtest, '--out', o/'p.csv', '--bs', '0'], '--bs 0: must be at least 1'),
    (lambda t,o: ['regress', 'finetune', t.rtrain, '--encoder', t.lm, '--out', o/'r', '--lr', '0', *FAST], '--lr 0.0: must be more than 0'),
    (lambda t,o: ['regress', 'evaluate', t.reg, t.rtest, '--out', t.rtest], 'is an input of this command'),
    (lambda t,o: ['recipe', 'regress', t.rtrain, '--test', t.rtest, '--lms', f'fwd={t.lm}', '--out', o/'r', '--value-name', 'id', *FAST], "are both 'id'"),
    (lambda t,o: ['recipe', 'regress', t.rtrain, '--test', t.rtest, '--lms', f'fwd={t.lm}', '--out', o/'r', '--id-name', 'label', *FAST],
     "--id-name and --value-name are both 'label'"),  # the prediction column's default header, the target's name; before: a submission without IDs
    (lambda t,o: ['recipe', 'regress', t.rtrain, '--lms', 'fwd', '--out', o/'r', *FAST], "--lms 'fwd': expected shipped, scratch"),
    (lambda t,o: ['recipe', 'regress', t.rtrain, '--lms', f'bwd={t.lm}', '--out', o/'r', *FAST], 'a fwd LM, given as the bwd one'),
])
def test_refusals(cli, tiny, tmp_path, args, msg):
    o = tmp_path/'o'; o.mkdir()
    a = args(tiny, o)
    one_line_error(cli(*a), ' '.join(a[:2] if a[0] in ('regress', 'recipe') else a[:1]), msg)
    assert not any(o.iterdir())

def test_recipe_regress_inputs(cli, tiny, tmp_path):
    "A run is refused before training where it would hold or lie inside an LM it is given, or hold a dataset's files it reads"
    lm = tmp_path/'run'/'mylm'; shutil.copytree(tiny.lm, lm)
    dd = tmp_path/'dd'/'proteinbert'; dd.mkdir(parents=True); shutil.copy(tiny.rtrain, dd/'stability.train.csv')
    for train,out,msg in ((tiny.rtrain, tmp_path/'run', 'holds'), (tiny.rtrain, lm/'r', 'lies inside'), ('stability', dd, 'holds')):
        one_line_error(cli('recipe', 'regress', train, '--lms', f'fwd={lm}', '--data', tmp_path/'dd', '--out', out, *FAST), 'recipe regress', msg)
    assert [p.name for p in (tmp_path/'run').iterdir()] == ['mylm'] and not (lm/'r').exists()
    assert [p.name for p in dd.iterdir()] == ['stability.train.csv']

def test_recipe_regress(protulm, protulm_here, tiny, rdata, tmp_path):
    "The whole job on Kaggle-style tables: regressor, ensemble, k-mer ridge scored on the test rows, a submission with IDs verbatim, inputs untouched"
    before = {f: f.read_bytes() for f in rdata.glob('*.csv')}
    r = protulm('recipe', 'regress', rdata/'train.csv', '--valid', rdata/'valid.csv', '--test', rdata/'test.csv', '--lms', f'fwd={tiny.lm}',
                *COLS, '--id-col', 'seq_id', '--id-name', 'seq_id', '--out', tmp_path/'run', *FAST)
    assert r.returncode == 0, r.stderr
    t = pd.read_csv(tmp_path/'run'/'eval'/'results.csv')
    assert t.model.tolist() == ['reg_fwd (fwd)', 'ensemble'] and (t.n == 40).all()
    md = (tmp_path/'run'/'results.md').read_text()
    assert '| kmer ridge |' in md and '| ensemble |' in md and '160 training' in md and '40 validation' in md
    s = pd.read_csv(tmp_path/'run'/'submission.csv', dtype={'seq_id': str})
    assert list(s.columns) == ['seq_id', 'tm'] and s.seq_id.tolist() == [f'e{i}' for i in range(200, 240)] and np.isfinite(s.tm).all()
    assert {f: f.read_bytes() for f in rdata.glob('*.csv')} == before
    r = protulm_here('regress', 'predict', tmp_path/'run', rdata/'test.csv', '--seq-col', 'protein_sequence', '--id-col', 'seq_id', '--id-name', 'seq_id',
                '--out', tmp_path/'again.csv', '--no-progress', '--precision', 'fp32')  # the run's saved ensemble predicts new rows
    assert r.returncode == 0, r.stderr
    assert np.allclose(pd.read_csv(tmp_path/'again.csv').tm, s.tm, atol=1e-5)
    r = protulm_here('recipe', 'regress', rdata/'train.csv', '--lms', f'fwd={tiny.lm}', *COLS, '--out', tmp_path/'run', *FAST)
    one_line_error((r.returncode, r.stdout, r.stderr), 'recipe regress', 'exists')  # an earlier run's bundles are kept without --force

def test_recipe_regress_scratch(protulm, rdata, tmp_path):
    "--lms scratch pretrains both LMs on the train and valid sequences first; a test table without targets gets a submission only"
    pd.read_csv(rdata/'test.csv').drop(columns='tm').to_csv(tmp_path/'blind.csv', index=False)
    r = protulm('recipe', 'regress', rdata/'train.csv', '--test', tmp_path/'blind.csv', '--lms', 'scratch', '--preset', 'tiny', '--lm-seconds', '2',
                *COLS, '--out', tmp_path/'run', *FAST)
    assert r.returncode == 0, r.stderr
    assert {'lm_fwd', 'lm_bwd', 'reg_fwd', 'reg_bwd', 'submission.csv', 'results.md'} <= {f.name for f in (tmp_path/'run').iterdir()}
    assert not (tmp_path/'run'/'eval').exists() and 'nothing scored' in (tmp_path/'run'/'results.md').read_text()
    assert len(pd.read_csv(tmp_path/'run'/'submission.csv')) == 40

def test_recipe_regress_competition_files(protulm, tiny, rdata, tmp_path):
    "A competition's test file: IDs from its `ID` column without --id-col, an empty target column is no target (predicted, not scored); a .zip prediction holds one CSV"
    t = pd.read_csv(rdata/'test.csv', dtype=str).rename(columns={'seq_id': 'ID'}).assign(tm='')
    t.to_csv(tmp_path/'Test.csv', index=False)
    r = protulm('recipe', 'regress', rdata/'train.csv', '--valid', rdata/'valid.csv', '--test', tmp_path/'Test.csv', '--lms', f'fwd={tiny.lm}',
                *COLS, '--out', tmp_path/'run', *FAST)
    assert r.returncode == 0, r.stderr
    assert f"Test IDs: column 'ID' of {tmp_path/'Test.csv'}." in r.stdout and 'is empty: its rows are predicted, not scored' in r.stdout
    s = pd.read_csv(tmp_path/'run'/'submission.csv', dtype=str)
    assert s.id.tolist() == t.ID.tolist()  # before: row numbers 0, 1, ...
    r = protulm('regress', 'predict', tmp_path/'run', tmp_path/'Test.csv', '--seq-col', 'protein_sequence', '--id-col', 'ID', '--chunk', '7',
                '--out', tmp_path/'p.zip', '--no-progress', '--precision', 'fp32')
    assert r.returncode == 0, r.stderr
    import zipfile; assert zipfile.ZipFile(tmp_path/'p.zip').namelist() == ['p.csv']
    assert pd.read_csv(tmp_path/'p.zip', dtype={'id': str}).id.tolist() == t.ID.tolist()
