"Checks a fresh install depends on: light imports, the console script, dependency ranges."
import subprocess, sys, tomllib
from conftest import ROOT

def _modules_after(stmt):
    code = f"import sys; {stmt}; print(' '.join(sorted(sys.modules)))"
    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()

def test_no_torchvision_or_fastai_vision():
    "CPU torch cannot load torchvision's C ops: protulm never imports it"
    mods = _modules_after('import protulm.core, protulm.data, protulm.tokenize, protulm.cli')
    assert 'torchvision' not in mods and 'fastai.vision' not in mods

def test_data_layer_is_light():
    "Reading data does not import torch"
    assert 'torch' not in _modules_after('import protulm.data')

def test_dependency_ranges():
    "The package asks for ranges (Colab keeps its torch); exact CPU pins live in constraints-cpu.txt"
    proj = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']
    deps = proj['dependencies']
    names = {d.split('>')[0].split('=')[0].split('<')[0].strip() for d in deps}
    assert {'fastai', 'torch', 'sentencepiece', 'pandas', 'scikit-learn', 'matplotlib'} <= names
    assert not any('==' in d for d in deps)
    pins = (ROOT/'constraints-cpu.txt').read_text().split()
    assert 'torch==2.13.0' in pins and 'torchvision==0.28.0' in pins
    assert proj['scripts']['protulm'] == 'protulm.cli:main'

def test_console_script():
    "`pip install` put a `protulm` command beside this Python"
    import shutil
    from pathlib import Path
    exe = shutil.which('protulm', path=str(Path(sys.executable).parent))
    assert exe, 'no protulm console script next to the interpreter'
    r = subprocess.run([exe, '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and 'usage: protulm' in r.stdout
    import protulm
    r = subprocess.run([exe, '--version'], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout == f'protulm {protulm.__version__}\n', (r.stdout, r.stderr)
