"Every option of every `protulm` command has help text, and `protulm COMMAND --help` works."
import re
import pytest
from fastcore.script import anno_parser
from protulm.cli import COMMANDS, command

@pytest.mark.parametrize('name', list(COMMANDS))
def test_every_option_has_help(name):
    p = anno_parser(command(name), prog=f'protulm {name}')
    missing = [a.dest for a in p._actions if a.dest not in ('help', 'pdb', 'xtra') and not re.sub(r'\s*\(default: .*\)$', '', a.help or '', flags=re.S).strip()]  # '(default: seq)' alone says nothing
    assert not missing, f"protulm {name}: options without help text: {missing}"
    assert (command(name).__doc__ or '').strip(), f"protulm {name}: no description"
    untyped = [a.dest for a in p._actions if a.type is type(None)]  # a delegated `x=None` without annotation: argparse would call NoneType
    assert not untyped, f"protulm {name}: options that cannot parse a value: {untyped}"

@pytest.mark.parametrize('argv,expect', [(('pretrain', '--help'), '--no-progress'), (('bench', 'tasks', '--help'), '--n-train')])
def test_command_help(protulm_here, argv, expect):
    r = protulm_here(*argv)
    assert r.returncode == 0 and expect in r.stdout, r.stderr

def test_saved_options_current():
    "The package's saved options, which `protulm CMD --help` prints, are the code's: `make check-sync` rewrites them"
    import json
    from protulm.cli import saved_options, options, parser
    saved = saved_options()
    assert saved, "protulm/cli_options.json is missing or was saved from other code: run `make check-sync` and commit it"
    assert saved == json.loads(json.dumps({k: options(parser(command(k), k)) for k in COMMANDS}))

@pytest.mark.parametrize('argv,rc', [(['finetune', '--help'], 0), (['regress', 'predict', 'm', '--bs', 'x'], 2)])
def test_help_imports_no_command(argv, rc):
    "`--help` and a usage error are answered from the saved options: neither torch, fastai nor the command's module is imported"
    import subprocess, sys
    code = (f"import sys, io, contextlib\nfrom protulm.cli import main\nwith contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            f"    try: main({argv!r})\n    except SystemExit as e: print(e.code, file=sys.__stdout__)\n"
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('torch', 'fastai') or m in ('protulm.classifier', 'protulm.regress')))")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split('\n')[:2] == [str(rc), ''], r.stdout
