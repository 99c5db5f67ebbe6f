"`protulm pretrained list` only reads the registry's cards: it answers without importing torch or fastai."
import subprocess, sys
from protulm.pretrained import DEFAULT_LMS

def test_pretrained_list_imports_no_torch():
    "The list is printed, and afterwards neither torch nor fastai is in `sys.modules`"
    code = ("import sys, io, contextlib\nfrom protulm.cli import main\nout = io.StringIO()\n"
            "with contextlib.redirect_stdout(out): rc = main(['pretrained', 'list'])\n"
            "print(rc); print(out.getvalue())\n"
            "print('heavy:', ' '.join(m for m in sys.modules if m.split('.')[0] in ('torch', 'fastai')))")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.rstrip('\n').split('\n')
    assert lines[0] == '0' and all(n in r.stdout for n in DEFAULT_LMS.values()), r.stdout
    assert lines[-1].split() == ['heavy:'], lines[-1][:300]
