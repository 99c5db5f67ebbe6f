"The shipped pretrained LMs: listed, loaded offline by name, the default start of `finetune`, the start of LM fine-tuning, in the wheel."
import json, os, subprocess, sys, zipfile
from pathlib import Path
import pytest
from protulm.data import toy_proteins
from protulm.pretrained import DEFAULT_LMS, WEIGHTS_DIR, list_pretrained, get_lm
from protulm.classifier import load_classifier
from conftest import ROOT

FAST = ['--no-progress', '--precision', 'fp32', '--bs', '16', '--max-len', '64', '--stages', '1:1:1']
NO_NETWORK = "import socket\ndef _no(*a, **k): raise OSError('network disabled by the test')\nsocket.socket.connect = _no\nsocket.create_connection = _no\n"

@pytest.fixture
def offline(tmp_path):
    "Environment for a subprocess in which every network connection fails"
    d = tmp_path/'offline'; d.mkdir()
    (d/'sitecustomize.py').write_text(NO_NETWORK)
    return dict(PYTHONPATH=str(d), HF_HUB_OFFLINE='1')

@pytest.fixture
def toy(tmp_path):
    t = toy_proteins(160, n_classes=2, seed=5)
    t[:120].to_csv(tmp_path/'train.csv', index=False); t[120:].to_csv(tmp_path/'valid.csv', index=False)
    return tmp_path

def test_registry_has_both_directions():
    df = list_pretrained()
    assert set(DEFAULT_LMS.values()) <= set(df.name)
    fwd,bwd = (get_lm(DEFAULT_LMS[d]) for d in ('fwd', 'bwd'))
    assert (fwd.backwards, bwd.backwards) == (False, True) and fwd.tok.vocab == bwd.tok.vocab
    assert sum(df.mb) <= 25, 'shipped weights must stay small enough for the package'

def test_pretrained_list_cli(protulm_here):
    r = protulm_here('pretrained', 'list')
    assert r.returncode == 0 and all(n in r.stdout for n in DEFAULT_LMS.values()), r.stderr

def test_finetune_without_encoder_offline(protulm, toy, offline):
    "`protulm finetune TRAIN` starts from the shipped LM, with no network"
    r = protulm('finetune', toy/'train.csv', '--valid', toy/'valid.csv', '--out', toy/'c', *FAST, env=offline)
    assert r.returncode == 0, r.stderr
    c = load_classifier(toy/'c').config
    assert c['direction'] == 'fwd' and c['lm']['path'] == DEFAULT_LMS['fwd'], c['lm']['path']  # the shipped LM's name, not this install's path
    r = protulm('finetune', toy/'train.csv', '--valid', toy/'valid.csv', '--backwards', '--out', toy/'cb', *FAST, env=offline)
    assert r.returncode == 0 and load_classifier(toy/'cb').config['direction'] == 'bwd', r.stderr

def test_finetune_direction_mismatch(protulm_here, toy):
    r = protulm_here('finetune', toy/'train.csv', '--encoder', DEFAULT_LMS['fwd'], '--backwards', '--out', toy/'c', *FAST)
    assert r.returncode == 1 and 'is a fwd LM, not bwd' in r.stderr and 'Traceback' not in r.stderr

def test_pretrain_init_by_name(protulm, protulm_here, toy, offline):
    "ULMFiT's LM fine-tuning from a shipped LM; a mismatched direction or tokenizer is one clear error"
    r = protulm('pretrain', toy/'train.csv', '--init', DEFAULT_LMS['fwd'], '--max-seconds', '3', '--bs', '8', '--precision', 'fp32',
                '--no-progress', '--out', toy/'ft', env=offline)
    assert r.returncode == 0, r.stderr
    c = json.loads((toy/'ft'/'config.json').read_text())
    assert c['run']['init'] == DEFAULT_LMS['fwd'] and c['preset'] == 'small'  # its name, not this install's path (before: str(WEIGHTS_DIR/...))
    r = protulm_here('pretrain', toy/'train.csv', '--init', DEFAULT_LMS['fwd'], '--backwards', '--out', toy/'ft2')
    assert r.returncode == 1 and 'pass backwards=False' in r.stderr
    r = protulm_here('pretrain', toy/'train.csv', '--init', 'protulm-huge-fwd', '--out', toy/'ft3')
    assert r.returncode == 1 and 'neither an LM bundle directory nor a shipped LM' in r.stderr

def test_sample_by_name(protulm_here):
    r = protulm_here('sample', DEFAULT_LMS['fwd'], '--prompt', 'MKK', '--num', '1', '--n', '20')
    assert r.returncode == 0 and r.stdout.startswith('MKK'), r.stderr

def test_damaged_copy_of_a_shipped_lm(protulm_here, tmp_path):
    "64 flipped bytes in a copy of a shipped LM's weights: one error naming the file (before: NaN scores and embeddings, rc 0; torch checks no CRC)"
    import shutil
    x = tmp_path/'X'; shutil.copytree(WEIGHTS_DIR/DEFAULT_LMS['fwd'], x)
    w = bytearray((x/'lm.pth').read_bytes()); i = len(w)//2
    w[i:i+64] = bytes(b ^ 0xff for b in w[i:i+64]); (x/'lm.pth').write_bytes(bytes(w))
    (tmp_path/'f.fasta').write_text('>a\nMKVLAAGIVGLLLA\n')
    for cmd,out in (('score', 's.csv'), ('embed', 'e.npz')):
        r = protulm_here(cmd, x, tmp_path/'f.fasta', '--out', tmp_path/out, '--no-progress')
        assert r.returncode == 1 and 'X/lm.pth: damaged: its SHA-256 differs from the one recorded at save (card.json)' in r.stderr, r.stderr
        assert 'Traceback' not in r.stderr and not (tmp_path/out).exists()

def test_wheel_ships_the_weights(tmp_path):
    "A built wheel (what `pip install` gets) holds every file of every shipped LM, and the commands' saved options"
    r = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation', '-q', '-w', str(tmp_path), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    names = set(zipfile.ZipFile(next(tmp_path.glob('protulm-*.whl'))).namelist())
    for n in DEFAULT_LMS.values():
        card = json.loads((WEIGHTS_DIR/n/'card.json').read_text())
        assert {f'protulm/weights/{n}/{f}' for f in [*card['files'], 'card.json']} <= names
    assert 'protulm/cli_options.json' in names
