"""`protulm baseline` end to end: a baseline fit on a labelled table predicts a labelled table (scored), a FASTA file
(unlabelled) and a dataset; it refuses to write over its inputs and names unknown baselines. A k-mer, phmmer or
profile-HMM model saved with --save predicts again without refitting and joins ULMFiT classifiers in `protulm
ensemble`, predict, evaluate and submit; a changed model file is refused."""
import json, sys
import pandas as pd
from conftest import one_line_error

def test_kmer_scores_a_labelled_table(cli, tiny, tmp_path):
    rc,out,err = cli('baseline', 'kmer', tiny.train, tiny.test, '--out', tmp_path/'b.csv', '--k', '2')
    assert rc == 0, err
    assert 'predictions by kmer' in out and '| accuracy | macro_f1 | log_loss | n |' in out
    b,test = pd.read_csv(tmp_path/'b.csv', dtype=str),pd.read_csv(tiny.test, dtype=str)
    assert list(b.columns) == ['id', 'pred', 'pred_prob', 'top2', 'top2_prob', 'label']
    assert b.id.tolist() == test.id.tolist() and b.label.tolist() == test.label.tolist()  # labels verbatim, rows in order
    assert (b.pred == b.label).mean() > 0.5  # the toy classes' motifs are what 3-mers see
    rc,_,err = cli('baseline', 'kmer', tiny.train, tiny.test, '--out', tmp_path/'b.zip', '--k', '2')  # a .zip holds one CSV named after it
    assert rc == 0, err
    import zipfile; assert zipfile.ZipFile(tmp_path/'b.zip').namelist() == ['b.csv']
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path/'b.zip', dtype=str), b)

def test_competition_test_file(cli, tiny, tmp_path):
    "A Zindi-style test file, as `recipe task` reads it: IDs from its `ID` column, an empty label column is no labels (predicted, not scored)"
    t = pd.read_csv(tiny.test, dtype=str).rename(columns={'id': 'ID'}).assign(label='')
    t.to_csv(tmp_path/'Test.csv', index=False)
    rc,out,err = cli('baseline', 'kmer', tiny.train, tmp_path/'Test.csv', '--out', tmp_path/'b.csv', '--k', '2')
    assert rc == 0, err  # before: 'missing label in column 'label' at rows 2, 3, ...'
    assert f"Input IDs: column 'ID' of {tmp_path/'Test.csv'}." in out and 'is empty: its rows are predicted, not scored' in out and 'accuracy' not in out
    b = pd.read_csv(tmp_path/'b.csv', dtype=str)
    assert b.id.tolist() == t.ID.tolist() and 'label' not in b  # before: row numbers 0, 1, ...
    rc,_,err = cli('predict', tiny.clas, tmp_path/'Test.csv', '--out', tmp_path/'p.csv', '--no-progress')  # one file, the same IDs from every command
    assert rc == 0, err
    assert pd.read_csv(tmp_path/'p.csv', dtype=str).id.tolist() == t.ID.tolist()  # before: row numbers, where baseline used the ID column
    t.assign(label=['x'] + ['']*(len(t)-1)).to_csv(tmp_path/'Test2.csv', index=False)  # some labels missing: refused, as in training tables
    one_line_error(cli('baseline', 'kmer', tiny.train, tmp_path/'Test2.csv', '--out', tmp_path/'b2.csv'), 'baseline', "missing label in column 'label' at rows 3, 4")

def test_hmm_predicts_fasta(cli, tiny, tmp_path):
    test = pd.read_csv(tiny.test, dtype=str)
    fa = tmp_path/'q.fasta'; fa.write_text(''.join(f'>{i}\n{s}\n' for i,s in zip(test.id, test.seq)))
    rc,out,err = cli('baseline', 'hmm', tiny.train, fa, '--out', tmp_path/'h.csv')
    assert rc == 0, err
    h = pd.read_csv(tmp_path/'h.csv', dtype=str)
    assert list(h.columns[:4]) == ['id', 'pred', 'pred_prob', 'top2'] and h.id.tolist() == test.id.tolist() and 'accuracy' not in out
    assert set(h.pred) <= set(pd.read_csv(tiny.train, dtype=str).label)
    prob = h.pred_prob.astype(float)
    assert ((0 < prob) & (prob <= 1)).all() and (prob >= h.top2_prob.astype(float)).all()  # calibrated bit scores, ranked

def test_refusals(cli, tiny, tmp_path):
    before = tiny.test.read_bytes()
    one_line_error(cli('baseline', 'kmer', tiny.train, tiny.test, '--out', tiny.test), 'baseline', tiny.test)
    assert tiny.test.read_bytes() == before
    one_line_error(cli('baseline', 'blast', tiny.train, tiny.test, '--out', tmp_path/'b.csv'), 'baseline', "unknown baseline 'blast'")
    one_line_error(cli('baseline', 'kmer', tiny.train, tiny.test, '--k', '0', '--out', tmp_path/'b.csv'), 'baseline', '--k 0')
    assert list(tmp_path.iterdir()) == []

def test_hmm_model_saved_loaded_and_blended(cli, tiny, tmp_path):
    "A saved profile-HMM model predicts again without refitting and joins a ULMFiT classifier in ensemble, predict, evaluate and submit"
    m = tmp_path/'hmm'
    rc,out,err = cli('baseline', 'hmm', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'fit.csv')
    assert rc == 0 and 'saved to' in out, err
    assert sorted(f.name for f in m.iterdir()) == ['config.json', 'hmms.hmm']
    rc,out,err = cli('baseline', 'hmm', m, tiny.test, '--out', tmp_path/'loaded.csv')
    assert rc == 0 and f'loaded from {m}' in out and 'accuracy' in out, err
    fit,loaded = pd.read_csv(tmp_path/'fit.csv'),pd.read_csv(tmp_path/'loaded.csv')
    assert fit.pred.tolist() == loaded.pred.tolist() and (fit.pred_prob - loaded.pred_prob).abs().max() < 1e-3
    rc,out,err = cli('ensemble', tiny.clas, m, '--valid', tiny.valid, '--out', tmp_path/'ens.json')
    assert rc == 0, err
    ens = json.loads((tmp_path/'ens.json').read_text())
    assert len(ens['members']) == 2 and ens['members'][1] == 'hmm'  # relative to the file
    assert abs(sum(ens['weights']) - 1) < 1e-9 and len(ens['weights']) == 2
    rc,_,err = cli('predict', tmp_path/'ens.json', tiny.test, '--out', tmp_path/'pred.csv', '--no-progress')
    assert rc == 0, err
    pred = pd.read_csv(tmp_path/'pred.csv', dtype={'id': str})
    assert pred.id.tolist() == pd.read_csv(tiny.test, dtype=str).id.tolist() and pred.pred_prob.between(0, 1).all()
    rc,out,err = cli('evaluate', tiny.clas, m, tiny.test, '--out', tmp_path/'ev', '--no-progress')
    assert rc == 0 and 'hmm (profile HMMs)' in out and 'ensemble' in out, err
    rc,_,err = cli('submit', tmp_path/'ens.json', tiny.test, '--id-col', 'id', '--out', tmp_path/'sub.csv', '--no-progress')
    assert rc == 0, err
    assert len(pd.read_csv(tmp_path/'sub.csv')) == len(pred)

def test_phmmer_model_saved_loaded_and_blended(cli, tiny, tmp_path):
    "A saved phmmer model: its labels verbatim, the same answers loaded, a member of an ensemble; a changed database refused"
    m = tmp_path/'pm'
    rc,out,err = cli('baseline', 'phmmer', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'fit.csv')
    assert rc == 0 and 'PhmmerNN(3 labels) saved to' in out and '| accuracy | macro_f1 | log_loss | n |' in out, err
    db = pd.read_csv(m/'phmmer_db.csv', dtype=str, keep_default_na=False)
    assert db.label.tolist() == pd.read_csv(tiny.train, dtype=str, keep_default_na=False).label.tolist()
    rc,out,err = cli('baseline', 'phmmer', m, tiny.test, '--out', tmp_path/'loaded.csv')
    assert rc == 0 and f'loaded from {m}' in out, err
    assert pd.read_csv(tmp_path/'fit.csv').equals(pd.read_csv(tmp_path/'loaded.csv'))
    rc,_,err = cli('ensemble', tiny.clas, m, '--valid', tiny.valid, '--out', tmp_path/'ens.json')
    assert rc == 0 and json.loads((tmp_path/'ens.json').read_text())['members'][1] == 'pm', err
    rc,out,err = cli('evaluate', tmp_path/'ens.json', tiny.test, '--out', tmp_path/'ev', '--no-progress')
    assert rc == 0 and 'pm (phmmer)' in out and 'ensemble' in out, err
    one_line_error(cli('baseline', 'hmm', m, tiny.test, '--out', tmp_path/'h.csv'), 'baseline', 'a saved phmmer model')
    f = m/'phmmer_db.csv'
    f.write_text(f.read_text().replace('\n', '\r\n', 1))  # one byte more
    one_line_error(cli('predict', tmp_path/'ens.json', tiny.test, '--out', tmp_path/'p.csv'), 'predict', 'phmmer_db.csv', 'checksum')
    assert not (tmp_path/'p.csv').exists() and not (tmp_path/'h.csv').exists()

def test_kmer_model_saved_loaded_and_blended(cli, tiny, tmp_path, monkeypatch):
    "A saved k-mer model: the fitted model's table exactly, loaded; a member of an ensemble, which needs no pyhmmer"
    m = tmp_path/'km'
    rc,out,err = cli('baseline', 'kmer', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'fit.csv')
    assert rc == 0 and 'saved to' in out and sorted(f.name for f in m.iterdir()) == ['config.json', 'kmer.npz'], err
    assert cli('baseline', 'kmer', m, tiny.test, '--out', tmp_path/'loaded.csv')[0] == 0
    assert pd.read_csv(tmp_path/'fit.csv').equals(pd.read_csv(tmp_path/'loaded.csv'))
    one_line_error(cli('baseline', 'phmmer', m, tiny.test, '--out', tmp_path/'p.csv'), 'baseline', 'a saved kmer model')
    monkeypatch.setitem(sys.modules, 'pyhmmer', None)  # import pyhmmer now raises ImportError
    rc,_,err = cli('ensemble', tiny.clas, m, '--valid', tiny.valid, '--out', tmp_path/'ens.json')
    assert rc == 0, err
    rc,out,err = cli('evaluate', tmp_path/'ens.json', tiny.test, '--out', tmp_path/'ev', '--no-progress')
    assert rc == 0 and 'km (k-mer)' in out and 'ensemble' in out, err

def test_hmm_model_refusals(cli, tiny, tmp_path):
    m = tmp_path/'hmm'
    assert cli('baseline', 'hmm', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'a.csv')[0] == 0
    one_line_error(cli('baseline', 'hmm', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'b.csv'), 'baseline', 'already exists', '--force')
    assert not (tmp_path/'b.csv').exists()
    assert cli('baseline', 'hmm', tiny.train, tiny.test, '--save', m, '--force', '--out', tmp_path/'b.csv')[0] == 0
    one_line_error(cli('baseline', 'hmm', m, tiny.test, '--save', tmp_path/'m2', '--out', tmp_path/'c.csv'), 'baseline', 'a saved model already')
    one_line_error(cli('baseline', 'kmer', m, tiny.test, '--out', tmp_path/'c.csv'), 'baseline', 'a saved hmm model')
    one_line_error(cli('ensemble', m, '--out', tmp_path/'e.json'), 'ensemble', 'at least one classifier bundle')
    f = m/'hmms.hmm'
    f.write_text(f.read_text().replace('LENG', 'LENG ', 1))  # one byte more: damaged, or changed by hand
    one_line_error(cli('predict', tiny.clas, m, tiny.test, '--out', tmp_path/'p.csv'), 'predict', 'hmms.hmm', 'checksum')
    one_line_error(cli('baseline', 'hmm', m, tiny.test, '--out', tmp_path/'p.csv'), 'baseline', 'checksum')
    assert not (tmp_path/'p.csv').exists() and not (tmp_path/'c.csv').exists()

def test_hmm_member_needs_pyhmmer(cli, tiny, tmp_path, monkeypatch):
    m = tmp_path/'hmm'
    assert cli('baseline', 'hmm', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'a.csv')[0] == 0
    monkeypatch.setitem(sys.modules, 'pyhmmer', None)  # import pyhmmer now raises ImportError
    one_line_error(cli('predict', tiny.clas, m, tiny.test, '--out', tmp_path/'p.csv'), 'predict', "pip install 'protulm[bench]'")

def on_a_terminal(*args, cwd):
    "Run the installed `protulm ARGS` with stdout and stderr on a pseudo-terminal, as a user at a terminal sees it: (exit status, all it wrote)"
    import os, pty, shutil, subprocess
    from pathlib import Path
    exe = shutil.which('protulm', path=str(Path(sys.executable).parent)) or 'protulm'
    main,sub = pty.openpty()
    p = subprocess.Popen([exe, *map(str, args)], stdin=subprocess.DEVNULL, stdout=sub, stderr=sub, cwd=cwd)
    os.close(sub)
    chunks = []
    while True:
        try: b = os.read(main, 65536)
        except OSError: break  # the command closed the terminal
        if not b: break
        chunks.append(b)
    os.close(main)
    return p.wait(timeout=600),b''.join(chunks).decode(errors='replace')

def test_searches_show_progress_on_a_terminal(tmp_path):
    "phmmer's and the HMMs' searches (and the calibration's, named) count on progress bars at a terminal; --no-progress hides them, the answers the same"
    from protulm.data import toy_proteins
    toy = toy_proteins(260, n_classes=3, seed=5)  # 230 training rows: enough held out (23) to fit the calibration
    toy[:230].to_csv(tmp_path/'train.csv', index=False); toy[230:].to_csv(tmp_path/'test.csv', index=False)
    bars = {'phmmer': ['phmmer (calibration): queries searched', 'phmmer: queries searched'],
            'hmm': ['profile HMMs (calibration): HMMs built', 'profile HMMs: HMMs built', 'profile HMMs: HMMs searched']}
    for name,comments in bars.items():
        rc,shown = on_a_terminal('baseline', name, 'train.csv', 'test.csv', '--out', f'{name}.csv', cwd=tmp_path)
        assert rc == 0, shown
        for c in comments: assert f'... {c}]' in shown, (c, shown[-2000:])
        assert '[30/30 ' in shown if name == 'phmmer' else '[3/3 ' in shown  # every query, or every label's HMM
        rc,quiet = on_a_terminal('baseline', name, 'train.csv', 'test.csv', '--out', f'{name}_quiet.csv', '--no-progress', cwd=tmp_path)
        assert rc == 0 and 'searched' not in quiet and 'built' not in quiet, quiet
        assert (tmp_path/f'{name}.csv').read_bytes() == (tmp_path/f'{name}_quiet.csv').read_bytes()

ODD_LABELS = {'class0': 'Golgi apparatus', 'class1': 'NA', 'class2': 'cell membrane, 100%'}  # spaces, pandas' missing value, comma and '%'

def test_saved_models_keep_labels_verbatim(cli, tmp_path):
    "Each baseline, saved and loaded, answers with the training labels as they were written: spaces, 'NA', commas and '%' too"
    from protulm.data import toy_proteins
    toy = toy_proteins(120, n_classes=3, seed=6).assign(label=lambda d: d.label.map(ODD_LABELS))
    toy[:90].to_csv(tmp_path/'train.csv', index=False); toy[90:].to_csv(tmp_path/'test.csv', index=False)
    for name in ('kmer', 'phmmer', 'hmm'):
        rc,_,err = cli('baseline', name, tmp_path/'train.csv', tmp_path/'test.csv', '--save', tmp_path/name, '--out', tmp_path/f'{name}_fit.csv', '--no-progress')
        assert rc == 0, err
        rc,out,err = cli('baseline', name, tmp_path/name, tmp_path/'test.csv', '--out', tmp_path/f'{name}_loaded.csv', '--no-progress')
        assert rc == 0 and 'accuracy' in out, (name, err)
        fit,loaded = (pd.read_csv(tmp_path/f'{name}_{w}.csv', dtype=str, keep_default_na=False) for w in ('fit', 'loaded'))
        assert set(loaded.pred) | set(loaded.top2) <= set(ODD_LABELS.values()) and loaded.label.tolist() == toy.label[90:].tolist(), name
        assert loaded.pred.tolist() == fit.pred.tolist(), name

def test_tied_prior_predicts_the_label_scored(cli, tmp_path):
    "Queries no training sequence hits get phmmer's prior; where two of its 20 labels tie, `pred` is the first, as the scores' argmax"
    import numpy as np
    rng,aa = np.random.default_rng(0),list('ACDEFGHIKLMNPQRSTVWY')
    rand = lambda n: 'M' + ''.join(rng.choice(aa, n))
    pd.DataFrame([dict(seq=rand(120), label=f'L{i:02d}') for i in range(20) for _ in range(3 if i in (2, 3) else 2)]).to_csv(tmp_path/'train.csv', index=False)
    pd.DataFrame(dict(id=[f'q{i}' for i in range(5)], seq=[rand(60) for _ in range(5)], label='L02')).to_csv(tmp_path/'test.csv', index=False)
    rc,out,err = cli('baseline', 'phmmer', tmp_path/'train.csv', tmp_path/'test.csv', '--out', tmp_path/'b.csv', '--no-progress')
    assert rc == 0 and '| 1 | 1 |' in out, err  # scored: accuracy and macro F1 1
    b = pd.read_csv(tmp_path/'b.csv', dtype=str)
    assert (b.pred_prob == b.top2_prob).all() and b.pred.tolist() == ['L02'] * 5 and b.top2.tolist() == ['L03'] * 5

def test_ensemble_members_searches_show_progress(tiny, tmp_path):
    "A saved phmmer model in an ensemble counts its search on a bar under predict's and evaluate's own; their --no-progress hides it too"
    rc,shown = on_a_terminal('baseline', 'phmmer', tiny.train, tiny.valid, '--save', 'pm', '--out', 'fit.csv', '--no-progress', cwd=tmp_path)
    assert rc == 0, shown
    for cmd,out in (('predict', 'p.csv'), ('evaluate', 'ev')):
        rc,shown = on_a_terminal(cmd, tiny.clas, 'pm', tiny.test, '--out', out, cwd=tmp_path)
        assert rc == 0 and '... phmmer: queries searched]' in shown, shown[-2000:]
        rc,quiet = on_a_terminal(cmd, tiny.clas, 'pm', tiny.test, '--out', f'quiet_{out}', '--no-progress', cwd=tmp_path)
        assert rc == 0 and 'searched' not in quiet, quiet
    assert (tmp_path/'p.csv').read_bytes() == (tmp_path/'quiet_p.csv').read_bytes()

def test_kmer_model_config_changed(cli, tiny, tmp_path):
    "A saved k-mer model's config.json is covered by its checksum: labels reordered or k changed are refused; untouched, or saved before the checksum (format 1), it loads"
    m = tmp_path/'km'
    assert cli('baseline', 'kmer', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'fit.csv')[0] == 0
    c = json.loads((m/'config.json').read_text())
    for edit in (dict(labels=c['labels'][::-1]), dict(k=[1, 2])):  # before: loaded, every prediction relabelled (accuracy 0.80 -> 0.35)
        (m/'config.json').write_text(json.dumps({**c, **edit}))
        one_line_error(cli('baseline', 'kmer', m, tiny.test, '--out', tmp_path/'p.csv'), 'baseline', f'{m}/config.json: its entries differ from their checksum')
        one_line_error(cli('predict', tiny.clas, m, tiny.test, '--out', tmp_path/'p.csv'), 'predict', f'{m}/config.json', 'checksum')
    assert not (tmp_path/'p.csv').exists()
    (m/'config.json').write_text(json.dumps({k: v for k,v in c.items() if k != 'config_sha256'} | dict(format_version=1)))  # saved before it
    assert cli('baseline', 'kmer', m, tiny.test, '--out', tmp_path/'old.csv')[0] == 0
    assert pd.read_csv(tmp_path/'fit.csv').equals(pd.read_csv(tmp_path/'old.csv'))

def test_damaged_or_other_model_as_train(cli, tiny, tmp_path):
    "A damaged saved model, or another protulm output, given as TRAIN says what it is, not 'not a Pfam split'"
    m = tmp_path/'km'
    assert cli('baseline', 'kmer', tiny.train, tiny.test, '--save', m, '--out', tmp_path/'fit.csv')[0] == 0
    cfg = (m/'config.json').read_bytes()
    for damage,says in ((cfg[:len(cfg)//2], 'config.json: truncated or not valid JSON'), (b'', 'config.json: truncated or not valid JSON'),
                        (b'\x82\x00garbage', 'config.json: truncated or not valid JSON'), (None, f'{m}: not a protulm k-mer model, config.json is missing')):
        if damage is None: (m/'config.json').unlink()
        else: (m/'config.json').write_bytes(damage)
        one_line_error(cli('baseline', 'kmer', m, tiny.test, '--out', tmp_path/'p.csv'), 'baseline', says)
    one_line_error(cli('baseline', 'kmer', tiny.clas, tiny.test, '--out', tmp_path/'p.csv'), 'baseline', f'{tiny.clas}: is a classifier bundle, not a saved kmer model')
    assert not (tmp_path/'p.csv').exists()
