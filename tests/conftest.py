import os, shutil, subprocess, sys
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
