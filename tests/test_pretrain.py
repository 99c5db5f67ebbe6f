"Pretraining end to end: bundle contents, kill-and-resume, portability to a fresh process, 2-process DDP on CPU."
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import pandas as pd
import pytest
import torch
from protulm.data import toy_proteins
from protulm.pretrain import load_lm, read_history
from conftest import FIX

TINY = ['--preset', 'tiny', '--no-progress', '--precision', 'fp32', '--bs', '8', '--bptt', '24']

@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    "A 600-sequence toy corpus: big enough for several batches per epoch, small enough for seconds per epoch"
    p = tmp_path_factory.mktemp('corpus')/'corpus.csv'
    toy_proteins(600, n_classes=4, seed=1).to_csv(p, index=False)
    return p

def weights(path): return torch.load(Path(path)/'lm.pth', weights_only=True)

def test_bundle_contents(protulm, corpus, tmp_path):
    r = protulm('pretrain', corpus, '--out', tmp_path/'lm', '--epochs', '2', *TINY)
    assert r.returncode == 0, r.stderr
    out = tmp_path/'lm'
    assert {'lm.pth', 'encoder.pth', 'vocab.json', 'config.json', 'tokenizer.json', 'history.csv', 'loss.png'} <= {p.name for p in out.iterdir()}
    assert not (out/'checkpoints').exists()
    cfg = json.loads((out/'config.json').read_text())
    assert cfg['format_version'] == 1 and cfg['direction'] == 'fwd' and cfg['preset'] == 'tiny'
    assert set(cfg['metrics']) == {'train_loss', 'valid_loss', 'accuracy', 'perplexity', 'bits_per_residue'}
    assert 0 < cfg['metrics']['bits_per_residue'] < 5
    assert len(read_history(out/'history.csv')) == 2
    enc = torch.load(out/'encoder.pth', weights_only=True)
    assert all(k.startswith(('encoder', 'encoder_dp', 'rnns', 'input_dp', 'hidden_dps')) for k in enc)

def test_backwards_shares_tokenizer(protulm, corpus, tmp_path):
    r = protulm('tokenizer', 'train', corpus, '--vocab-size', '120', '--out', tmp_path/'tok')
    assert r.returncode == 0, r.stderr
    for d in ('fwd', 'bwd'):
        extra = ['--backwards'] if d == 'bwd' else []
        r = protulm('pretrain', corpus, '--out', tmp_path/d, '--tokenizer', tmp_path/'tok', '--epochs', '1', *TINY, *extra)
        assert r.returncode == 0, r.stderr
    f,b = load_lm(tmp_path/'fwd'), load_lm(tmp_path/'bwd')
    assert (f.config['direction'], b.config['direction']) == ('fwd', 'bwd')
    assert (tmp_path/'fwd'/'tokenizer.model').read_bytes() == (tmp_path/'bwd'/'tokenizer.model').read_bytes() == (tmp_path/'tok'/'tokenizer.model').read_bytes()

def test_kill_and_resume(protulm, corpus, tmp_path):
    "Kill a run after its first checkpoint, resume it, and end exactly where an uninterrupted run ends"
    args = ['pretrain', corpus, '--epochs', '4', *TINY]
    r = protulm(*args, '--out', tmp_path/'straight')
    assert r.returncode == 0, r.stderr
    out = tmp_path/'killed'
    exe = shutil.which('protulm', path=str(Path(sys.executable).parent))
    p = subprocess.Popen([exe, *map(str, args), '--out', str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = tmp_path/'.killed.partial'/'checkpoints'/'state.json'  # runs train in a hidden sibling of their output
    t0 = time.time()
    while time.time() - t0 < 300 and p.poll() is None:
        if state.exists() and json.loads(state.read_text())['epoch'] >= 0: break
        time.sleep(0.05)
    assert p.poll() is None, 'run finished before it could be killed'
    p.send_signal(signal.SIGKILL); p.wait()
    assert not (out/'lm.pth').exists()
    killed_at = json.loads(state.read_text())['epoch']
    assert killed_at < 3
    r = protulm(*args, '--out', out, '--resume')
    assert r.returncode == 0, r.stderr
    b = load_lm(out)
    assert b.config['resumed_from_epoch'] == killed_at + 1
    assert read_history(out/'history.csv').epoch.tolist() == [0, 1, 2, 3]
    a,s = weights(out), weights(tmp_path/'straight')
    for k in s: assert torch.equal(a[k], s[k]), k

def test_resume_without_checkpoint_starts_fresh(protulm_here, corpus, tmp_path):
    r = protulm_here('pretrain', corpus, '--epochs', '1', *TINY, '--out', tmp_path/'lm', '--resume')
    assert r.returncode == 0, r.stderr
    assert load_lm(tmp_path/'lm').config['resumed_from_epoch'] is None  # before: inside the first assert's message, never checked

def test_portable_fresh_process(protulm, corpus, tmp_path):
    "A bundle copied elsewhere loads in a new process, with weights_only, and predicts what the original predicts"
    assert protulm('pretrain', corpus, '--out', tmp_path/'lm', '--epochs', '1', *TINY).returncode == 0
    moved = tmp_path/'other'/'place'
    shutil.copytree(tmp_path/'lm', moved)
    shutil.rmtree(tmp_path/'lm')
    code = f"""
import torch, json
from protulm.pretrain import load_lm
b = load_lm({str(moved)!r})
m = b.model(); m.reset()
x = torch.tensor([b.tok.flat(['MKVLAAGIVGLLA'], bos=True)[0].tolist()])
print(json.dumps(m(x)[0][0, -1].tolist()))
"""
    r1 = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=tmp_path)
    assert r1.returncode == 0, r1.stderr
    r2 = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd='/')
    assert json.loads(r1.stdout) == json.loads(r2.stdout)
    sd = torch.load(moved/'lm.pth', weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in sd.values())

@pytest.mark.parametrize('missing', ['lm.pth', 'config.json', 'vocab.json'])
def test_bundle_missing_file(protulm_here, corpus, tmp_path, missing):
    assert protulm_here('pretrain', corpus, '--out', tmp_path/'lm', '--epochs', '1', *TINY).returncode == 0
    (tmp_path/'lm'/missing).unlink()
    r = protulm_here('sample', tmp_path/'lm')
    assert r.returncode == 1 and f'{missing} is missing' in r.stderr and 'Traceback' not in r.stderr

def test_ddp_two_cpu_processes(corpus, tmp_path):
    "fastai's distributed training (accelerate + DDP) with 2 gloo processes: both ranks end with the same weights"
    exe = shutil.which('protulm', path=str(Path(sys.executable).parent))
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'CUDA_VISIBLE_DEVICES': ''}
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', exe,
           'pretrain', str(corpus), '--out', str(tmp_path/'ddp'), '--epochs', '2', *TINY]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    cfg = load_lm(tmp_path/'ddp').config
    assert cfg['world_size'] == 2
    d = cfg['rank_weight_digests']
    assert len(d) == 2 and d[0] == d[1]
    assert len(read_history(tmp_path/'ddp'/'history.csv')) == 2
