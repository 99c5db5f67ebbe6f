"""Reliability and security: no pickled code is loaded, labels stay verbatim, no command writes over its inputs or over
another bundle, resume refuses other settings, and the Python API checks sequences as the CLI does."""
import hashlib, json, shutil
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
import torch
from protulm.core import SequenceError, DataError
from conftest import TINY, plant_pickle, one_line_error

FAST = ['--stages', '1:1:1', '--bs', '16', '--no-progress', '--precision', 'fp32']  # finetune settings that train in seconds

def digest(d)->dict:
    "SHA-256 of every file under `d` (or of file `d`): to tell it was left untouched"
    d = Path(d)
    fs = [d] if d.is_file() else sorted(p for p in d.rglob('*') if p.is_file())
    return {str(p.relative_to(d) if p != d else p.name): hashlib.sha256(p.read_bytes()).hexdigest() for p in fs}

def copy(src, dst)->Path:
    "A copy of file or directory `src` at `dst`"
    if Path(src).is_dir(): shutil.copytree(src, dst)
    else: shutil.copy(src, dst)
    return Path(dst)

def hidden(d)->list: return sorted(p.name for p in Path(d).iterdir() if p.name.startswith('.'))

# 1. No code runs from a checkpoint or a bundle

def test_payload_runs_when_unpickled(tmp_path):
    "The planted file does run code under a plain unpickler: what protulm must never do"
    plant_pickle(tmp_path/'x.pth', tmp_path/'ran')
    torch.load(tmp_path/'x.pth', weights_only=False)
    assert (tmp_path/'ran').exists()

@pytest.mark.parametrize('kind,f,cmd', [('lm', 'lm.pth', 'sample'), ('lm', 'lm.pth', 'embed'), ('lm', 'encoder.pth', 'finetune'),
                                        ('clas', 'clas.pth', 'predict'), ('clas', 'clas.pth', 'evaluate')])
def test_pickled_bundle_weights(cli, tiny, tmp_path, kind, f, cmd):
    b = copy(getattr(tiny, kind), tmp_path/kind)
    plant_pickle(b/f, tmp_path/'ran')
    args = dict(sample=['sample', b], embed=['embed', b, tiny.test, '--out', tmp_path/'e.npz'],
                finetune=['finetune', tiny.train, '--encoder', b, '--out', tmp_path/'c', *FAST],
                predict=['predict', b, tiny.test, '--out', tmp_path/'p.csv'], evaluate=['evaluate', b, tiny.test, '--out', tmp_path/'ev'])[cmd]
    one_line_error(cli(*args), cmd, f"{b/f}: not a plain state dict (pickled objects are never loaded")
    assert not (tmp_path/'ran').exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [kind]

def test_pickle_without_torch_wrapper(cli, tiny, tmp_path):
    "A bare pickle (not torch's zip format) is refused the same way"
    import pickle
    from conftest import Payload
    b = copy(tiny.clas, tmp_path/'clas')
    (b/'clas.pth').write_bytes(pickle.dumps({'weight': Payload(tmp_path/'ran')}))
    one_line_error(cli('predict', b, tiny.test, '--out', tmp_path/'p.csv'), 'predict', f"{b/'clas.pth'}: not a plain state dict")
    assert not (tmp_path/'ran').exists()

def test_every_torch_load_is_weights_only(tiny, tmp_path, monkeypatch):
    "Fine-tuning with fastai's lr finder (which saves and restores the model mid-run) and predicting unpickle nothing"
    from protulm.classifier import finetune, load_classifier, predict_proba
    calls,orig = [],torch.load
    monkeypatch.setattr(torch, 'load', lambda *a, **k: calls.append(k.get('weights_only')) or orig(*a, **k))
    finetune(tiny.toy[:160], tiny.lm, tmp_path/'c', valid=tiny.toy[160:200], stages='1:1:1', bs=16, lr_find=True,
             precision='fp32', device='cpu', progress=False)
    predict_proba(load_classifier(tmp_path/'c'), tiny.toy.seq[:5])
    assert calls and all(w is True for w in calls), calls
    assert (tmp_path/'c'/'lr_find.png').exists() and not [p for p in (tmp_path/'c').iterdir() if p.is_dir()]

@pytest.fixture(scope='module')
def interrupted(tmp_path_factory, tiny):
    "A run of `pretrain --epochs 3` stopped by Ctrl-C right after its first checkpoint, and the arguments that started it"
    from protulm.cli import main
    from protulm.pretrain import Checkpoint
    d,args = tmp_path_factory.mktemp('interrupted'),['pretrain', str(tiny.train), '--epochs', '3', *TINY]
    orig = Checkpoint.after_epoch
    def stop(self): orig(self); raise KeyboardInterrupt
    Checkpoint.after_epoch = stop
    try: rc = main([*args, '--out', str(d/'lm')])
    finally: Checkpoint.after_epoch = orig
    assert rc == 130 and not (d/'lm').exists() and (d/'.lm.partial'/'checkpoints'/'state.json').exists()
    return d, args

def run_copy(interrupted, tmp_path)->Path:
    "A copy of the interrupted run under `tmp_path`; the output path that resumes it"
    shutil.copytree(interrupted[0]/'.lm.partial', tmp_path/'.lm.partial')
    return tmp_path/'lm'

@pytest.mark.parametrize('damage,msg', [
    ('pickle', 'ckpt.pth: not a plain state dict (pickled objects are never loaded'),
    ('truncate', 'ckpt.pth: truncated or corrupt'),
    ('not a checkpoint', 'ckpt.pth: not a protulm checkpoint'),
    ('state.json', 'state.json: truncated or not valid JSON'),
])
def test_damaged_checkpoint(cli, interrupted, tmp_path, damage, msg):
    "Model, optimizer and RNG state live in ckpt.pth, read with weights_only; every damage is one line naming the file"
    out,args = run_copy(interrupted, tmp_path),interrupted[1]
    ck = tmp_path/'.lm.partial'/'checkpoints'
    if damage == 'pickle': plant_pickle(ck/'ckpt.pth', tmp_path/'ran')
    if damage == 'truncate': (ck/'ckpt.pth').write_bytes((ck/'ckpt.pth').read_bytes()[:2000])
    if damage == 'not a checkpoint': torch.save({'model': torch.ones(2)}, ck/'ckpt.pth')
    if damage == 'state.json': (ck/'state.json').write_text((ck/'state.json').read_text()[:100])
    one_line_error(cli(*args, '--out', out, '--resume'), 'pretrain', msg)
    assert not (tmp_path/'ran').exists() and not out.exists()

# 4. Resume with other settings is refused; the interrupted run is kept until resumed or discarded

def test_resume_refuses_other_settings(cli, interrupted, tiny, tmp_path):
    out,args = run_copy(interrupted, tmp_path),interrupted[1]
    one_line_error(cli(*args, '--out', out, '--resume', '--epochs', '4', '--seed', '1'), 'pretrain', 'these differ', 'epochs 3 (now 4)', 'seed 42 (now 1)')
    other = [str(tiny.valid) if a == str(tiny.train) else a for a in args]
    one_line_error(cli(*other, '--out', out, '--resume'), 'pretrain', "corpus {'sequences': 160")
    one_line_error(cli(*args, '--out', out, '--resume', '--preset', 'small'), 'pretrain', "config.preset 'tiny' (now 'small')")
    assert cli('tokenizer', 'train', tiny.train, '--vocab-size', '120', '--out', tmp_path/'tok')[0] == 0
    one_line_error(cli(*args, '--out', out, '--resume', '--tokenizer', tmp_path/'tok'), 'pretrain', "tokenizer 'residue, 29 tokens", "(now 'subword, 120 tokens")
    one_line_error(cli(*args, '--out', out, '--resume', '--init', tiny.lm), 'pretrain', "init_weights None (now '")  # started from random weights
    one_line_error(cli(*args, '--out', out, '--resume', '--max-seconds', '5'), 'pretrain', 'max_seconds None (now 5.0)')  # the schedule follows the clock
    one_line_error(cli(*args, '--out', out), 'pretrain', 'an interrupted run of it has checkpoints', '--resume', '--force')
    rc,_,err = cli(*args, '--out', out, '--resume')
    assert rc == 0, err
    from protulm.pretrain import load_lm, read_history
    assert load_lm(out).config['resumed_from_epoch'] == 1 and read_history(out/'history.csv').epoch.tolist() == [0, 1, 2]
    assert hidden(tmp_path) == []

def test_resume_after_the_last_epoch(cli, tiny, tmp_path):
    "A run stopped after its last checkpoint (while it wrote its bundle) finishes on --resume; one stopped before its first says nothing of checkpoints"
    from protulm.pretrain import Checkpoint, TimeBudget, load_lm
    args = ['pretrain', str(tiny.train), '--epochs', '1', *TINY, '--out', str(tmp_path/'lm')]
    for cb,event,kept in ((TimeBudget, 'before_fit', False), (Checkpoint, 'after_epoch', True)):
        orig = getattr(cb, event)
        def stop(self): orig(self); raise KeyboardInterrupt
        setattr(cb, event, stop)
        try: rc,_,err = cli(*args)
        finally: setattr(cb, event, orig)
        assert rc == 130 and ('its checkpoints are kept' in err) == kept, err
    rc,_,err = cli(*args, '--resume')
    assert rc == 0, err  # before: AttributeError: tokens (no epoch left to train)
    assert load_lm(tmp_path/'lm').config['resumed_from_epoch'] == 1 and hidden(tmp_path) == []

@pytest.mark.parametrize('cmd,args,says', [
    ('pretrain', ['--lr', '1e12'], 'training diverged: the loss was'),  # before: an LM of NaN weights saved, exit 0
    ('finetune', ['--lr', '1e12'], 'training diverged: the validation loss is not a finite number'),  # before: a traceback from fit_temperature after all the training
    ('regress finetune', ['--stages', '1:1:1e12'], 'training diverged: the loss was'),  # before: a regressor with NaN metrics, exit 0
    ('pretrain', ['--lr', 'inf'], '--lr inf: must be more than 0, a finite number'),
    ('pretrain', ['--config', 'bs=16'], '--config bs=...: bs has its own option, --bs'),  # before: TypeError, multiple values for 'bs'
    ('pretrain', ['--config', 'bidir=true'], "config key(s) ['bidir']: fixed for a protulm LM"),  # before: an LM that sees the tokens it predicts
    ('pretrain', ['--config', 'weight_p=abc'], "--weight-p 'abc': must be at least 0, a finite number"),  # before: TypeError
    ('pretrain', ['--config', 'tie_weights=maybe'], "config tie_weights='maybe': expected true or false"),
])
def test_training_settings_that_cannot_train(protulm_here, tiny, tmp_path, cmd, args, says):
    "Settings that would train garbage are one line (no warning printed beside it), and nothing is saved"
    data = {'pretrain': [tiny.train, *TINY], 'finetune': [tiny.train, '--encoder', tiny.lm, '--stages', '1:1:1', '--precision', 'fp32'],
            'regress finetune': [tiny.rtrain, '--encoder', tiny.lm, '--precision', 'fp32']}[cmd]
    r = protulm_here(*cmd.split(), *data, *args, '--out', tmp_path/'m')
    one_line_error((r.returncode, r.stdout, r.stderr), cmd, says)  # before: torch's requires_grad UserWarning above a diverged loss's line
    assert not (tmp_path/'m').exists() and hidden(tmp_path) == []

# 2. Labels are read as strings and kept verbatim

EC = {'class0': '1.1', 'class1': '1.10', 'class2': '007', 'class3': '7', 'class4': '1e3', 'class5': '1000'}

def test_number_like_labels_kept(cli, tiny, tmp_path):
    from protulm.data import toy_proteins
    toy = toy_proteins(180, n_classes=6, seed=9)
    toy.assign(label=toy.label.map(EC)).to_csv(tmp_path/'ec.csv', index=False)
    rc,_,err = cli('finetune', tmp_path/'ec.csv', '--encoder', tiny.lm, '--out', tmp_path/'c', *FAST)
    assert rc == 0, err
    assert json.loads((tmp_path/'c'/'labels.json').read_text()) == sorted(EC.values())
    rc,_,err = cli('evaluate', tmp_path/'c', tmp_path/'ec.csv', '--out', tmp_path/'ev')
    assert rc == 0 and json.loads((tmp_path/'ev'/'metrics.json').read_text())['unknown_labels'] == [], err
    cols = ['1.10', '7', '1e3', '1.1', '1000', '007']
    pd.DataFrame({'id': toy.id, **{c: 1/6 for c in cols}}).to_csv(tmp_path/'sample.csv', index=False)
    rc,_,err = cli('submit', tmp_path/'c', tmp_path/'ec.csv', '--id-col', 'id', '--sample-submission', tmp_path/'sample.csv', '--out', tmp_path/'s.csv')
    assert rc == 0, err
    assert (tmp_path/'s.csv').read_text().splitlines()[0] == 'id,' + ','.join(cols)

def test_missing_labels_name_rows(cli, tiny, tmp_path):
    t = pd.read_csv(tiny.train, dtype=str, keep_default_na=False)
    t.loc[[1, 3], 'label'] = ''
    t.to_csv(tmp_path/'t.csv', index=False)
    for cmd,args in (('finetune', ['--encoder', tiny.lm]), ('evaluate', [])):
        a = [cmd, tmp_path/'t.csv', *args] if cmd == 'finetune' else [cmd, tiny.clas, tmp_path/'t.csv']
        one_line_error(cli(*a, '--out', tmp_path/'o'), cmd, f"{tmp_path/'t.csv'}: missing label in column 'label' at rows 3, 5")
    assert not (tmp_path/'o').exists()

def test_one_class_is_an_error(cli, tiny, tmp_path):
    pd.read_csv(tiny.train).assign(label='only').to_csv(tmp_path/'t.csv', index=False)
    one_line_error(cli('finetune', tmp_path/'t.csv', '--encoder', tiny.lm, '--out', tmp_path/'c', *FAST), 'finetune',
                   f"training data ({tmp_path/'t.csv'}): every row has label 'only'; a classifier needs at least two classes")

def test_api_missing_labels(tiny, tmp_path):
    from protulm.classifier import finetune
    df = tiny.toy[:40].copy(); df.loc[[2, 5], 'label'] = [None, float('nan')]
    with pytest.raises(DataError, match=r"training data: 2 missing label\(s\), at index \[2, 5\]"): finetune(df, tiny.lm, tmp_path/'c')
    assert not (tmp_path/'c').exists()

# 3. Never over an input, never over another kind of bundle, over the same kind only with --force

def test_finetune_out_is_its_lm(cli, tiny, tmp_path):
    lm = copy(tiny.lm, tmp_path/'lm'); before = digest(lm)
    one_line_error(cli('finetune', tiny.train, '--encoder', lm, '--out', lm, '--force', *FAST), 'finetune', f'{lm}: is an input of this command')
    assert digest(lm) == before

@pytest.mark.parametrize('cmd', ['pretrain', 'finetune'])
def test_out_is_another_kind(cli, tiny, tmp_path, cmd):
    other = copy(tiny.clas if cmd == 'pretrain' else tiny.lm, tmp_path/'other'); before = digest(other)
    args = ['pretrain', tiny.train, *TINY] if cmd == 'pretrain' else ['finetune', tiny.train, '--encoder', tiny.lm, *FAST]
    msg = 'is a classifier bundle; protulm does not replace it with an LM bundle' if cmd == 'pretrain' else 'is an LM bundle; protulm does not replace it with a classifier bundle'
    one_line_error(cli(*args, '--out', other, '--force'), cmd, msg)
    assert digest(other) == before

def test_user_folders_that_look_like_old_outputs_are_kept(cli, tiny, tmp_path):
    "A folder of the user's holding a metrics.json and results.csv, or a checkpoints/state.json, is no protulm output: evaluate and pretrain --force refuse it (they deleted its other files)"
    exp = tmp_path/'exp'; (exp/'checkpoints').mkdir(parents=True)
    (exp/'metrics.json').write_text('{"accuracy": 0.91}'); (exp/'results.csv').write_text('epoch,acc\n1,0.9\n'); (exp/'NOTES.md').write_text('notes')
    (exp/'checkpoints'/'model.bin').write_text('w'); before = digest(exp)
    one_line_error(cli('evaluate', tiny.clas, tiny.test, '--out', exp, '--no-progress'), 'evaluate', 'is a directory protulm did not write')
    run = tmp_path/'run'; (run/'checkpoints').mkdir(parents=True); (run/'checkpoints'/'state.json').write_text('{}'); (run/'model.safetensors').write_text('w')
    one_line_error(cli('pretrain', tiny.train, '--out', run, '--force', *TINY), 'pretrain', 'is a directory protulm did not write')
    assert digest(exp) == before and (run/'model.safetensors').read_text() == 'w'

def test_same_kind_needs_force(cli, tiny, tmp_path):
    c = copy(tiny.clas, tmp_path/'clas'); before = digest(c)
    args = ['finetune', tiny.train, '--encoder', tiny.lm, '--valid', tiny.valid, '--out', c, *FAST]
    one_line_error(cli(*args), 'finetune', 'already exists (a classifier bundle); pass force=True (--force)')
    assert digest(c) == before
    rc,_,err = cli(*args, '--force')
    assert rc == 0, err
    from protulm.classifier import load_classifier
    assert digest(c) != before and load_classifier(c).labels == ['class0', 'class1', 'class2'] and hidden(tmp_path) == []

def test_pretrain_same_kind_needs_force(cli, tiny, tmp_path):
    lm = copy(tiny.lm, tmp_path/'lm'); before = digest(lm)
    one_line_error(cli('pretrain', tiny.train, '--out', lm, *TINY), 'pretrain', 'already exists (an LM bundle); pass force=True (--force)')
    assert digest(lm) == before and hidden(tmp_path) == []

@pytest.mark.parametrize('which', ['input', 'sample'])
def test_predict_and_submit_never_overwrite_inputs(cli, tiny, tmp_path, which):
    t = copy(tiny.test, tmp_path/'test.csv')
    s = tmp_path/'sample.csv'
    pd.DataFrame({'id': pd.read_csv(t).id, 'class0': 0.3, 'class1': 0.3, 'class2': 0.4}).to_csv(s, index=False)
    before,out = {**digest(t), **digest(s)},(t if which == 'input' else s)
    if which == 'input': one_line_error(cli('predict', tiny.clas, t, '--out', out), 'predict', f'{out}: is an input of this command')
    one_line_error(cli('submit', tiny.clas, t, '--id-col', 'id', '--sample-submission', s, '--out', out), 'submit', f'{out}: is an input of this command')
    one_line_error(cli('predict', tiny.clas, t, '--out', tiny.clas/'p.csv'), 'predict', f'lies inside {tiny.clas}')
    assert {**digest(t), **digest(s)} == before

def test_ensemble_files_and_their_members_are_inputs(cli, tiny, tmp_path):
    "An ensemble file, the directory holding it and the bundles it names are all read: no output may replace or enter them"
    from protulm.regress import load_reg_models
    c,r = copy(tiny.clas, tmp_path/'m'/'clas'),copy(tiny.reg, tmp_path/'m'/'reg')
    assert cli('ensemble', c, '--out', tmp_path/'m'/'ensemble.json')[0] == 0
    load_reg_models([r]).save(tmp_path/'reg_ens.json')
    ens,before = tmp_path/'m'/'ensemble.json',{**digest(tmp_path/'m'), **digest(tmp_path/'reg_ens.json')}
    for out in (c/'clas.pth', c/'config.json'): one_line_error(cli('predict', ens, tiny.test, '--out', out), 'predict', f'lies inside {c}')
    one_line_error(cli('submit', ens, tiny.test, '--id-col', 'id', '--out', ens), 'submit', f'{ens}: is an input of this command')
    one_line_error(cli('evaluate', ens.parent, tiny.test, '--out', ens.parent/'eval'), 'evaluate', f'lies inside {ens.parent}')
    one_line_error(cli('regress', 'predict', tmp_path/'reg_ens.json', tiny.rtest, '--out', r/'config.json'), 'regress predict', f'lies inside {r}')
    one_line_error(cli('regress', 'evaluate', tmp_path/'reg_ens.json', tiny.rtest, '--out', r/'eval'), 'regress evaluate', f'lies inside {r}')
    assert {**digest(tmp_path/'m'), **digest(tmp_path/'reg_ens.json')} == before

@pytest.mark.parametrize('cmd', ['predict', 'submit', 'ensemble', 'baseline', 'score', 'embed'])
def test_dataset_files_are_inputs(cli, tiny, tmp_path, cmd):
    "A dataset named `name:split` is read from the data directory: a command writing a file refuses to write it over that file"
    d = tmp_path/'data'/'proteinbert'; d.mkdir(parents=True)
    f = copy(tiny.test, d/'scop.test.csv'); before = digest(f)
    args = {'predict': [tiny.clas, 'scop:test'], 'submit': [tiny.clas, 'scop:test', '--id-col', 'id'], 'ensemble': [tiny.clas, '--valid', 'scop:test'],
            'baseline': ['kmer', 'scop:test', 'scop:test'], 'score': [tiny.lm, 'scop:test'], 'embed': [tiny.lm, 'scop:test']}[cmd]
    one_line_error(cli(cmd, *args, '--data', tmp_path/'data', '--out', f), cmd, f'{f}: is an input of this command')
    assert digest(f) == before

# 5. Damaged bundles: one line naming the file

@pytest.mark.parametrize('damage,msg', [
    ('labels.json', "labels.json: does not match the 3 labels recorded in config.json"),
    ('labels.json and config', "labels.json: lists 4 labels but clas.pth was trained for 3 classes"),
    ('config.json', "config.json: truncated or not valid JSON (Unterminated string"),
    ('clas.pth', "clas.pth: truncated or corrupt"),
    ('temperature 0', "config.json: temperature 0 is not a positive number"),
    ('temperature -1', "config.json: temperature -1 is not a positive number"),
    ('temperature "hot"', "config.json: temperature 'hot' is not a positive number"),
    ('direction "up"', "config.json: direction 'up'; expected 'fwd' or 'bwd'"),
    ('emb_sz -3', "config.json: its clas_config does not describe a classifier (RuntimeError("),  # torch's error on a negative size
])
def test_damaged_classifier(cli, tiny, tmp_path, damage, msg):
    b = copy(tiny.clas, tmp_path/'clas')
    cfg = json.loads((b/'config.json').read_text())
    if damage.startswith('labels.json'):
        labels = cfg['labels'] + ['class3']
        (b/'labels.json').write_text(json.dumps(labels))
        if 'config' in damage: (b/'config.json').write_text(json.dumps({**cfg, 'labels': labels}))
    if damage == 'config.json':
        t = (b/'config.json').read_text()
        (b/'config.json').write_text(t[:t.index('protulm-classifier') + 5])
    if damage == 'clas.pth': (b/'clas.pth').write_bytes((b/'clas.pth').read_bytes()[:5000])
    if damage.startswith(('temperature', 'direction')):  # a hand-edited entry: a model would divide by it, or read the wrong way
        key,value = damage.split(' ', 1); (b/'config.json').write_text(json.dumps({**cfg, key: json.loads(value)}))
    if damage == 'emb_sz -3': (b/'config.json').write_text(json.dumps({**cfg, 'clas_config': {**cfg['clas_config'], 'emb_sz': -3}}))
    one_line_error(cli('predict', b, tiny.test, '--out', tmp_path/'p.csv'), 'predict', b, msg)
    assert not (tmp_path/'p.csv').exists()

# 6. The Python API checks what the CLI checks

BAD = [('mkvJl', "invalid character 'J' at position 4"), ('MK😀V', "invalid character '😀' at position 3"), ('MK*VL', "invalid character '*' at position 3"),
       ('MK-VL', "invalid character '-' at position 3"), ('MK1VL', "invalid character '1' at position 3"), ('', 'empty sequence')]

@pytest.fixture(scope='module')
def api(tiny):
    from protulm.predict import Ensemble
    from protulm.embed import embed
    ens = Ensemble([tiny.clas])
    return dict(predict_proba=ens.predict_proba, embed=lambda s: embed(tiny.lm, s))

@pytest.mark.parametrize('fn', ['predict_proba', 'embed'])
def test_api_sequence_policy(api, tiny, fn):
    f,s = api[fn],tiny.toy.seq.iloc[0]
    np.testing.assert_allclose(f([s.lower(), s]), f([s, s]), atol=1e-6)
    assert f(s).shape[0] == 1
    for bad,msg in BAD:
        with pytest.raises(ValueError) as e: f([s, bad])
        assert f"sequences[1]: {msg}" in str(e.value)
    df = pd.DataFrame(dict(id=['p1', 'p2', 'p3'], seq=[s, s, None]))
    with pytest.raises(SequenceError, match=r"sequences\[2\] \(id 'p3'\): empty sequence \(missing value\)"): f(df)
    with pytest.raises(SequenceError, match=r"sequences\[1\]: empty sequence \(missing value\)"): f(pd.Series([s, float('nan')]))

def test_api_training_checks_sequences(tiny, tmp_path):
    from protulm.pretrain import pretrain
    from protulm.classifier import finetune
    from protulm.evaluate import evaluate
    from protulm.submit import make_submission
    from protulm.predict import Ensemble
    with pytest.raises(SequenceError, match=r"sequences\[1\]: invalid character 'J' at position 3"): pretrain(['MKVL', 'mkJl'], tmp_path/'lm')
    df = tiny.toy[:40].copy(); df.loc[7, 'seq'] = 'mk vl-x'
    with pytest.raises(SequenceError, match=r"training data\[7\] \(id 'toy7'\): invalid character '-' at position 5"): finetune(df, tiny.lm, tmp_path/'c')
    with pytest.raises(SequenceError, match=r"evaluation data\[7\] \(id 'toy7'\)"): evaluate(Ensemble([tiny.clas]), df)
    with pytest.raises(SequenceError, match=r"test data\[7\] \(id 'toy7'\)"): make_submission(Ensemble([tiny.clas]), df, tmp_path/'s.csv', id_col='id')
    assert list(tmp_path.iterdir()) == []

# 7. Smaller defects

def test_embed_out_and_limit(cli, tiny, tmp_path):
    one_line_error(cli('embed', tiny.lm, tiny.test, '--out', tmp_path/'x.txt'), 'embed', 'x.txt: expected a file name ending in .npz or .csv')
    one_line_error(cli('embed', tiny.lm, tiny.test, '--limit', '-5', '--out', tmp_path/'x.npz'), 'embed', '--limit -5: must be at least 0')
    assert list(tmp_path.iterdir()) == []
    rc,out,err = cli('embed', tiny.lm, tiny.test, '--limit', '5', '--out', tmp_path/'x.npz')
    assert rc == 0 and f"written to {tmp_path/'x.npz'}" in out, err
    assert np.load(tmp_path/'x.npz')['emb'].shape[0] == 5 and sorted(p.name for p in tmp_path.iterdir()) == ['x.npz']

@pytest.mark.parametrize('name,head,msg', [
    ('sample.csv.gz', 'id,class0,class1,class2', 'sample.csv.gz: not a CSV sample submission'),
    ('sample.csv', 'id,class0,class1,class0', "sample.csv: sample submission repeats column(s) ['class0']"),
])
def test_bad_sample_submission(cli, tiny, tmp_path, name, head, msg):
    ids = pd.read_csv(tiny.test).id
    (tmp_path/name).write_text(head + '\n' + ''.join(f'{i},0.3,0.3,0.4\n' for i in ids))
    r = cli('submit', tiny.clas, tiny.test, '--id-col', 'id', '--sample-submission', tmp_path/name, '--out', tmp_path/'s.csv')
    one_line_error(r, 'submit', msg)
    assert 'class0.1' not in r[2] and not (tmp_path/'s.csv').exists()
