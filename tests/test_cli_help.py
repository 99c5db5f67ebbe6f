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
