"""The bad-input corpus through every command: each file of `tests/bad_inputs/` (written by its `make_bad_inputs.py`) through
every command that reads sequences (`READERS`), and each kind of damage to a bundle through every command that reads that
kind of bundle (`BUNDLE_READERS`). Every run must end in one line naming the file, write nothing and run no code.
A new command is covered by adding it to `READERS` and/or `BUNDLE_READERS` (or to `NO_SEQUENCE_FILE`, with the reason)."""
import json, shutil, sys
from pathlib import Path
import pytest
import torch
from protulm.cli import COMMANDS
from conftest import ROOT, FIX, TINY, plant_pickle, one_line_error

BAD_DIR = ROOT/'tests'/'bad_inputs'
sys.path.insert(0, str(BAD_DIR))
from make_bad_inputs import BAD

FAST = ['--stages', '1:1:1', '--bs', '16', '--no-progress', '--precision', 'fp32']

# command -> (its arguments given the bad file `f`, the session's bundles `t` and an output directory `o`; reads labels; reads the file as FASTA only)
READERS = {
    'tokenizer train': (lambda f,t,o: ['tokenizer', 'train', f, '--vocab-size', '100', '--out', o/'tok'], False, False),
    'corpus build': (lambda f,t,o: ['corpus', 'build', FIX/'tiny.fasta', f, '--valid-groups', 'tiny', '--exclude', 'none', '--out', o/'corpus'], False, True),
    'pretrain': (lambda f,t,o: ['pretrain', f, '--out', o/'lm', *TINY], False, False),
    'finetune': (lambda f,t,o: ['finetune', f, '--encoder', t.lm, '--out', o/'clas', *FAST], True, False),
    'finetune --valid': (lambda f,t,o: ['finetune', t.train, '--encoder', t.lm, '--valid', f, '--out', o/'clas', *FAST], True, False),
    'predict': (lambda f,t,o: ['predict', t.clas, f, '--out', o/'p.csv'], False, False),
    'evaluate': (lambda f,t,o: ['evaluate', t.clas, f, '--out', o/'eval'], True, False),
    'submit': (lambda f,t,o: ['submit', t.clas, f, '--id-col', 'id', '--out', o/'s.csv'], False, False),
    'ensemble': (lambda f,t,o: ['ensemble', t.clas, '--valid', f, '--out', o/'e.json'], True, False),
    'embed': (lambda f,t,o: ['embed', t.lm, f, '--out', o/'e.npz'], False, False),
    'score': (lambda f,t,o: ['score', t.lm, f, '--out', o/'scores.csv', '--no-progress'], False, False),
    'bench tokenize': (lambda f,t,o: ['bench', 'tokenize', f, '--vocab-sizes', '100', '--out', o/'t.md'], False, False),
    'bench pretrain': (lambda f,t,o: ['bench', 'pretrain', f, '--presets', 'tiny', '--budget', '1', '--out', o/'t.md'], False, False),
    'bench predict': (lambda f,t,o: ['bench', 'predict', t.clas, f, '--out', o/'t.md'], False, False),
    'baseline': (lambda f,t,o: ['baseline', 'kmer', f, t.test, '--out', o/'b.csv'], True, False),
    'baseline (input)': (lambda f,t,o: ['baseline', 'kmer', t.train, f, '--out', o/'b.csv'], False, False),
    'recipe task': (lambda f,t,o: ['recipe', 'task', f, '--valid', t.valid, '--lms', f'fwd={t.lm}', '--out', o/'run', *FAST], True, False),
    'recipe task --valid': (lambda f,t,o: ['recipe', 'task', t.train, '--valid', f, '--lms', f'fwd={t.lm}', '--out', o/'run', *FAST], True, False),
    'recipe task --test': (lambda f,t,o: ['recipe', 'task', t.train, '--test', f, '--lms', f'fwd={t.lm}', '--out', o/'run', *FAST], False, False),
    'regress finetune': (lambda f,t,o: ['regress', 'finetune', f, '--encoder', t.lm, '--out', o/'reg', *FAST], True, False),
    'regress finetune --valid': (lambda f,t,o: ['regress', 'finetune', t.rtrain, '--encoder', t.lm, '--valid', f, '--out', o/'reg', *FAST], True, False),
    'regress predict': (lambda f,t,o: ['regress', 'predict', t.reg, f, '--out', o/'p.csv'], False, False),
    'regress predict --valid': (lambda f,t,o: ['regress', 'predict', t.reg, t.rtest, '--valid', f, '--out', o/'p.csv'], True, False),
    'regress evaluate': (lambda f,t,o: ['regress', 'evaluate', t.reg, f, '--out', o/'eval'], True, False),
    'recipe regress': (lambda f,t,o: ['recipe', 'regress', f, '--valid', t.rvalid, '--lms', f'fwd={t.lm}', '--out', o/'run', *FAST], True, False),
    'recipe regress --valid': (lambda f,t,o: ['recipe', 'regress', t.rtrain, '--valid', f, '--lms', f'fwd={t.lm}', '--out', o/'run', *FAST], True, False),
    'recipe regress --test': (lambda f,t,o: ['recipe', 'regress', t.rtrain, '--test', f, '--lms', f'fwd={t.lm}', '--out', o/'run', *FAST], False, False),
}
NO_SEQUENCE_FILE = {'data list': 'lists the registry', 'data get': 'downloads registered datasets', 'pretrained list': 'lists the shipped LMs',
                    'sample': 'reads an LM bundle only (see BUNDLE_READERS)', 'demo': 'reads registered datasets only',
                    'bench tasks': 'reads registered datasets only', 'bench tokenizers': 'reads registered datasets only',
                    'recipe pfam': 'reads the Pfam layouts of the data directory', 'recipe kinase': 'reads KinBase or the Zindi files of the data directory',
                    'residue finetune': 'reads residue-labelled tables: bad labels, masks and LMs in tests/test_residue.py',
                    'residue predict': 'reads a residue bundle and sequences: tests/test_residue.py', 'residue evaluate': 'reads residue-labelled tables: tests/test_residue.py',
                    'bench residue': 'reads registered datasets only'}

def _cmd(name): return name.split(' --')[0].split(' (')[0]

def test_every_command_is_covered():
    missing = set(COMMANDS) - {_cmd(k) for k in READERS} - {_cmd(k) for k in BUNDLE_READERS} - set(NO_SEQUENCE_FILE)
    assert not missing, f"commands {sorted(missing)} are in no list of {__file__}: add them to READERS or BUNDLE_READERS, or to NO_SEQUENCE_FILE with the reason"

def test_corpus_is_current():
    "The files in tests/bad_inputs/ are what make_bad_inputs.py writes"
    assert {p.name for p in BAD_DIR.iterdir() if p.suffix != '.py' and p.name != '__pycache__'} == set(BAD)
    for name,(content,_,_) in BAD.items(): assert (BAD_DIR/name).read_bytes() == content, f"{name}: rerun tests/bad_inputs/make_bad_inputs.py"

CASES = [(c, f) for c in READERS for f in BAD if READERS[c][1] or not BAD[f][2]]

@pytest.mark.parametrize('cmd,name', CASES)
def test_bad_input(cli, tiny, tmp_path, cmd, name):
    argv,_,fasta_only = READERS[cmd]
    f,(_,msg,_) = BAD_DIR/name,BAD[name]
    as_read = not fasta_only or name.endswith(('.fasta', '.fasta.xz'))
    one_line_error(cli(*argv(f, tiny, tmp_path)), _cmd(cmd), f, *([msg] if as_read else []))
    assert list(tmp_path.iterdir()) == []

# Damaged bundles: what a copy of a good bundle can suffer, and the commands that read each kind of bundle

def _cut(f): f.write_text(f.read_text()[:len(f.read_text())//2])
def _edit(f, **kw): f.write_text(json.dumps({**json.loads(f.read_text()), **kw}))
def _weights(b, write):
    for f in b.glob('*.pth'): write(f)
def _unrecorded(b): # a bundle written before its weights' SHA-256 was recorded in config.json
    c = json.loads((b/'config.json').read_text()); c.pop('weights_sha256'); (b/'config.json').write_text(json.dumps(c))

DAMAGES = {  # name -> (damage done to bundle directory `b`, the file the error names, what it says)
    'config.json truncated': (lambda b: _cut(b/'config.json'), 'config.json', 'truncated or not valid JSON'),
    'config.json of another kind': (lambda b: _edit(b/'config.json', kind='protulm-corpus'), 'config.json', 'not a protulm'),
    'config.json from a newer protulm': (lambda b: _edit(b/'config.json', format_version=99), 'config.json', 'is newer than this protulm reads'),
    'vocab.json truncated': (lambda b: _cut(b/'vocab.json'), 'vocab.json', 'truncated or not valid JSON'),
    'vocab.json of another tokenizer': (lambda b: (b/'vocab.json').write_text(json.dumps(list('ACDEFGHIKLMNPQRSTVWY'))), 'vocab.json', 'does not match the tokenizer'),
    'tokenizer.json truncated': (lambda b: _cut(b/'tokenizer.json'), 'tokenizer.json', 'truncated or not valid JSON'),
    'weights truncated': (lambda b: _weights(b, lambda f: f.write_bytes(f.read_bytes()[:3000])), '.pth', 'truncated or corrupt'),
    'weights pickled': (lambda b: _weights(b, lambda f: plant_pickle(f, b.parent/'ran')), '.pth', 'not a plain state dict (pickled objects are never loaded'),
    'weights not a state dict': (lambda b: _weights(b, lambda f: torch.save([1, 2], f)), '.pth', 'not a state dict of named tensors'),
    'weights of another model': (lambda b: (_weights(b, lambda f: torch.save({'x': torch.zeros(2)}, f)), _unrecorded(b)), '.pth', 'weights do not fit the model'),
    'weights changed since saved': (lambda b: _weights(b, lambda f: torch.save({'x': torch.zeros(2)}, f)), '.pth', 'damaged: its SHA-256 differs from the one recorded at save'),
}

# command -> (the kind of bundle it reads, its arguments given the damaged bundle `b`, the session's files `t` and an output directory `o`)
BUNDLE_READERS = {
    'sample': ('lm', lambda b,t,o: ['sample', b]),
    'finetune': ('lm', lambda b,t,o: ['finetune', t.train, '--encoder', b, '--out', o/'clas', *FAST]),
    'pretrain --init': ('lm', lambda b,t,o: ['pretrain', t.train, '--init', b, '--out', o/'lm', *TINY]),
    'embed': ('lm', lambda b,t,o: ['embed', b, t.test, '--out', o/'e.npz']),
    'score': ('lm', lambda b,t,o: ['score', b, t.test, '--out', o/'scores.csv', '--no-progress']),
    'pretrained package': ('lm', lambda b,t,o: ['pretrained', 'package', b, 'damaged', '--dest', o]),
    'predict': ('clas', lambda b,t,o: ['predict', b, t.test, '--out', o/'p.csv']),
    'evaluate': ('clas', lambda b,t,o: ['evaluate', b, t.test, '--out', o/'eval']),
    'submit': ('clas', lambda b,t,o: ['submit', b, t.test, '--id-col', 'id', '--out', o/'s.csv']),
    'ensemble': ('clas', lambda b,t,o: ['ensemble', b, '--valid', t.valid, '--out', o/'e.json']),
    'embed (classifier)': ('clas', lambda b,t,o: ['embed', b, t.test, '--out', o/'e.npz']),
    'bench predict': ('clas', lambda b,t,o: ['bench', 'predict', b, t.test, '--out', o/'t.md']),
    'recipe task': ('lm', lambda b,t,o: ['recipe', 'task', t.train, '--valid', t.valid, '--lms', f'fwd={b}', '--out', o/'run', *FAST]),
    'regress finetune': ('lm', lambda b,t,o: ['regress', 'finetune', t.rtrain, '--encoder', b, '--out', o/'reg', *FAST]),
    'regress predict': ('reg', lambda b,t,o: ['regress', 'predict', b, t.rtest, '--out', o/'p.csv']),
    'regress evaluate': ('reg', lambda b,t,o: ['regress', 'evaluate', b, t.rtest, '--out', o/'eval']),
    'recipe regress': ('lm', lambda b,t,o: ['recipe', 'regress', t.rtrain, '--lms', f'fwd={b}', '--out', o/'run', *FAST]),
}

@pytest.mark.parametrize('cmd,damage', [(c, d) for c in BUNDLE_READERS for d in DAMAGES])
def test_damaged_bundle(cli, tiny, tmp_path, cmd, damage):
    kind,argv = BUNDLE_READERS[cmd]
    b,o = tmp_path/'b'/kind,tmp_path/'out'
    shutil.copytree(getattr(tiny, kind), b); o.mkdir()
    hurt,f,msg = DAMAGES[damage]
    hurt(b)
    r = cli(*argv(b, tiny, o))
    one_line_error(r, _cmd(cmd), b, msg)
    assert ('.pth: ' if f == '.pth' else f'{b/f}: ') in r[2], r[2]
    assert list(o.iterdir()) == [] and not (tmp_path/'b'/'ran').exists()
