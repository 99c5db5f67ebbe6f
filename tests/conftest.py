import os, shutil, subprocess, sys, warnings
from contextlib import contextmanager
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT/'data'/'fixtures'

def shared_data():
    "The real data directory, when this machine has one"
    p = os.environ.get('PROTULM_DATA')
    return Path(p) if p and (Path(p)/'proteinbert').exists() else None

@pytest.fixture
def protulm(tmp_path):
    "Run the installed `protulm` command; return the CompletedProcess"
    exe = shutil.which('protulm', path=str(Path(sys.executable).parent)) or 'protulm'
    def run(*args, env=None, timeout=600):
        e = {**os.environ, **(env or {})}
        return subprocess.run([exe, *map(str, args)], capture_output=True, text=True, cwd=tmp_path, env=e, timeout=timeout)
    return run

TINY = ['--preset', 'tiny', '--no-progress', '--precision', 'fp32', '--bs', '8', '--bptt', '24']  # pretrain settings that train in seconds

@pytest.fixture(scope='session')
def tiny(tmp_path_factory):
    "Toy train/valid/test tables (class labels, and numbers in `r*`), a tiny forward LM, and a classifier and a regressor on it, made once per session through the Python API"
    from types import SimpleNamespace
    from protulm.data import toy_proteins
    from protulm.pretrain import pretrain
    from protulm.classifier import finetune
    from protulm.regress import reg_finetune
    d = tmp_path_factory.mktemp('tiny')
    toy = toy_proteins(240, n_classes=3, seed=4)
    for name,rows in (('train', toy[:160]), ('valid', toy[160:200]), ('test', toy[200:])): rows.to_csv(d/f'{name}.csv', index=False)
    kw = dict(precision='fp32', device='cpu', progress=False)
    pretrain(toy.seq[:200], d/'lm', preset='tiny', epochs=1, bs=8, bptt=24, **kw)
    finetune(toy[:160], d/'lm', d/'clas', valid=toy[160:200], stages='1:1:1', bs=16, **kw)
    rtoy = toy.assign(label=[f'{len(s) / 10:.1f}' for s in toy.seq])  # a number per protein: its length
    for name,rows in (('rtrain', rtoy[:160]), ('rvalid', rtoy[160:200]), ('rtest', rtoy[200:])): rows.to_csv(d/f'{name}.csv', index=False)
    reg_finetune(rtoy[:160], d/'lm', d/'reg', valid=rtoy[160:200], stages='1:1:1', bs=16, **kw)
    return SimpleNamespace(dir=d, lm=d/'lm', clas=d/'clas', reg=d/'reg', train=d/'train.csv', valid=d/'valid.csv', test=d/'test.csv', toy=toy,
                           rtrain=d/'rtrain.csv', rvalid=d/'rvalid.csv', rtest=d/'rtest.csv')

@contextmanager
def same_environ():
    "Within: `os.environ` as it may change (`main` sets oneDNN's cache for inference commands); after: as it was, for the tests and subprocesses that follow"
    saved = dict(os.environ)
    try: yield
    finally:
        if dict(os.environ) != saved: os.environ.clear(); os.environ.update(saved)

HIDDEN_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)  # what a fresh Python process does not print

@contextmanager
def shown_warnings():
    "Within: warnings recorded; yields a list that then holds the text a fresh process would print for them (the filters in force, less the categories Python hides)"
    shown = []
    with warnings.catch_warnings(record=True) as ws: yield shown
    shown += [warnings.formatwarning(w.message, w.category, w.filename, w.lineno, w.line) for w in ws if not issubclass(w.category, HIDDEN_WARNINGS)]


@pytest.fixture
def protulm_here(tmp_path, capfd, monkeypatch):
    """Run `protulm` in this process as the `protulm` fixture runs it in a subprocess: in `tmp_path`, with `env` added for this call;
    argparse's exit (usage errors, --help) is the status; the warnings a fresh process would print are in stderr (the filters in force, less the categories Python hides). Returns a CompletedProcess.
    Fast: for commands that end in an error before any work, or quick ones that need no fresh process"""
    from protulm.cli import main
    def run(*args, env=None):
        argv = [str(a) for a in args]
        capfd.readouterr()
        with monkeypatch.context() as m, same_environ(), shown_warnings() as ws:
            m.chdir(tmp_path)
            for k,v in (env or {}).items(): m.setenv(k, v)
            try: rc = main(argv)
            except SystemExit as e:  # argparse's exit: a usage error (2), --help (0)
                if e.code is not None and not isinstance(e.code, int): print(e.code, file=sys.stderr)  # as Python does on exit
                rc = e.code if isinstance(e.code, int) else 0 if e.code is None else 1
        r = capfd.readouterr()
        return subprocess.CompletedProcess(['protulm', *argv], rc, r.out, r.err + ''.join(ws))
    return run

@pytest.fixture
def cli(protulm_here):
    "`protulm_here` as a tuple: (exit status, stdout, stderr with the warnings a fresh process prints)"
    def run(*args): r = protulm_here(*args); return r.returncode, r.stdout, r.stderr
    return run

class Payload:
    "An object whose unpickling creates the file `marker`: the side effect a hostile checkpoint would have"
    def __init__(self, marker): self.marker = str(marker)
    def __reduce__(self): return (open, (self.marker, 'w'))

def plant_pickle(path, marker):
    "Replace `path` by a torch file whose unpickling (`weights_only=False`) would create `marker`"
    import torch
    torch.save({'weight': Payload(marker)}, path)

def one_line_error(r, cmd, *contains):
    "Assert that (status, stdout, stderr) `r` is a one-line error of `protulm cmd` containing each of `contains`"
    rc,_,err = r
    assert rc == 1, err
    assert err.startswith(f'protulm {cmd}: error: ') and err.count('\n') == 1 and 'Traceback' not in err, err
    for c in contains: assert str(c) in err, (c, err)
