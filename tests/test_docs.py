"The README is generated from nbs/index.ipynb, tutorials keep their outputs, the docs links agree with the config, and every public parameter is documented"
import json, re
from pathlib import Path
from nbdev.config import get_config, nbpath2html

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'

def _md_cells(p): return [''.join(c['source']) for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'markdown']
def _unlink(s): return re.sub(r'\[([^\]]*)\]\([^)\s]*\)', r'\1', s)  # nbdev links backticked names in the README

def test_readme_is_index():
    "README.md is `make docs`' copy of index.ipynb: same sections in the same order, guarantees word for word"
    readme = (ROOT/'README.md').read_text()
    heads = [l for s in _md_cells(NBS/'index.ipynb') for l in s.splitlines() if l.startswith('## ')]
    assert '## What protulm guarantees' in heads
    assert heads == [l for l in readme.splitlines() if l.startswith('## ')], 'README.md is stale: run `make docs`'
    guar = next(s for s in _md_cells(NBS/'index.ipynb') if s.startswith('## What protulm guarantees'))
    assert guar in _unlink(readme), 'README.md is stale: run `make docs`'
    assert 'OMP_NUM_THREADS=1' in guar

def test_tutorials_keep_outputs():
    "Tutorials, studies and the index page are stored with their outputs, and nbdev-clean is told to keep them"
    assert get_config(ROOT).clear_all is False
    nbs = sorted((NBS/'tutorials').glob('*.ipynb')) + [NBS/'index.ipynb']
    assert len(nbs) >= 3
    for p in nbs:
        code = [c for c in json.loads(p.read_text())['cells'] if c['cell_type'] == 'code']
        assert any(c['outputs'] for c in code), f'{p.name} has no outputs: execute it (cwd: its folder), then nbdev-clean'

def test_docs_links():
    "Each module's `Docs:` link is the page nbdev-docs makes from its notebook, on the configured doc host"
    cfg = get_config(ROOT)
    base = cfg.doc_host + cfg.doc_baseurl + '/'
    assert base == cfg.doc_url == 'https://protulm.github.io/protulm/'
    mods = [p for p in (ROOT/'protulm').rglob('*.py') if 'File to edit:' in p.read_text()[:1000]]
    assert mods
    for p in mods:
        head = p.read_text()[:1000]
        nb = re.search(r'File to edit: (\S+\.ipynb)', head)[1]
        page = nbpath2html((p.parent/nb).resolve().relative_to(NBS)).as_posix()
        assert f'Docs: {base}{page}.md' in head, (p, page)

def test_docs_ignored():
    "The built site and nbdev's generated files are not committed"
    ign = (ROOT/'.gitignore').read_text().splitlines()
    for p in ('_docs/', '_proc/', 'nbs/nbdev.yml', 'nbs/sidebar.yml'): assert p in ign

def _undocumented(f)->list:
    "Parameters of `f` (less `self`, `*args`, `**kwargs`) without a docment: the docs page and `help()` would show them blank"
    import inspect
    from fastcore.docments import docments
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [k for k,v in docments(f, full=True, returns=False).items() if k != 'self' and v.kind not in skip and not v.docment]

def _documented_objects(mod)->list:
    "(name, function) of module `mod`'s public functions, its public classes' `__init__` (a dataclass: its fields) and their public methods, `@patch`ed ones too"
    import inspect
    from dataclasses import is_dataclass
    fs = []
    for n in getattr(mod, '__all__', []):
        o = getattr(mod, n)
        if getattr(o, '__module__', None) != mod.__name__: continue  # imported from elsewhere: checked there
        if inspect.isfunction(o): fs.append((n, o))
        elif inspect.isclass(o):
            if '__init__' in vars(o): fs.append((f'{n}.__init__', o if is_dataclass(o) else o.__init__))
            fs += [(f'{n}.{k}', f) for k,f in vars(o).items() if not k.startswith('_') and inspect.isfunction(f)]
    return fs

def test_every_parameter_documented():
    "Every parameter of every public function, public class's `__init__` and public method has its docment (fastai's convention: a comment on its own line)"
    import importlib, pkgutil
    import protulm
    missing = {}
    for m in pkgutil.walk_packages(protulm.__path__, 'protulm.'):
        for name,f in _documented_objects(importlib.import_module(m.name)):
            if miss := _undocumented(f): missing[f'{m.name}.{name}'] = miss
    assert not missing, f"{sum(map(len, missing.values()))} parameters without a docment: {missing}"

def test_no_return_doc_from_kwargs():
    "fastcore's `docments` gives the comment of a `**kw` line to the return value when the return has none of its own: the docs would call `**kw`'s options what the function returns"
    import importlib, inspect, pkgutil
    from fastcore.docments import docments
    import protulm
    wrong = []
    for m in pkgutil.walk_packages(protulm.__path__, 'protulm.'):
        mod = importlib.import_module(m.name)
        for n,f in vars(mod).items():
            if not inspect.isfunction(f) or f.__module__ != mod.__name__ or n.startswith('_'): continue
            ret = docments(f).get('return')
            if ret and re.search(r'^\s*\*\*\w+,?\s*#\s*' + re.escape(ret.strip()), inspect.getsource(f), re.M): wrong.append(f'{m.name}.{n}')
    assert not wrong, f"return documented by a **kw line's comment (give the return its own, after `)->T:`): {wrong}"
