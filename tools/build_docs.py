"""`make docs`: the nbdev site in _docs/ and README.md from nbs/index.ipynb, without Quarto.

nbdev processes the notebooks as `nbdev-docs` does (doc tables, links, hidden cells; only exports, imports and show_doc
cells run, not examples and tests), and smalldocs (the `docs` extra, pure Python) renders them with Quarto's options in
nbs/_quarto.yml: PyPI's quarto-cli downloads Quarto itself from GitHub when it installs, which an offline machine cannot
do. Pages keep nbdev's names (core.html, core.html.md); README.md is index's Markdown copy, links made absolute."""
import ast, json, os, re, shutil, subprocess, sys, tempfile, warnings, yaml
from pathlib import Path
import nbdev.processors as P
from nbdev.config import get_config, nbpath2html
from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
from nbdev.serve import proc_nbs
from nbdev.readme_filter import doc_link
cfg = get_config(); os.chdir(cfg.config_path)
gh = cfg.git_url + '/blob/' + cfg.branch + '/'
_do_eval = P._do_eval
def do_eval(cell):
    "nbdev's choice less cells that mix imports with other code (examples, tests): run exports, imports and show_doc"
    if not _do_eval(cell): return False
    ts = cell.parsed_()
    return bool(cell.directives_.keys() & {'export', 'exports', 'exporti', 'exec_doc'}) or P._show_docs(ts) or all(isinstance(t, (ast.Import, ast.ImportFrom)) for t in ts)
P._do_eval = do_eval
warnings.filterwarnings('ignore', 'Found cells containing imports')
refresh_quarto_yml(); nbdev_sidebar.__wrapped__(path=cfg.nbs_path)
cache = proc_nbs(cfg.nbs_path, n_workers=0)
stage = Path(tempfile.mkdtemp(prefix='protulm-docs-'))
shutil.copytree(cache, stage, dirs_exist_ok=True, ignore=shutil.ignore_patterns('_docs', '.*'))
names = {}
for p in sorted(stage.rglob('*.ipynb')):
    rel = p.relative_to(stage).as_posix(); names[rel] = nbpath2html(rel).with_suffix('.ipynb').as_posix()
    nb = json.loads(p.read_text()); p.unlink()
    for c in nb['cells']:
        s = ''.join(c['source'])
        if c['cell_type'] == 'raw': s = re.sub(r'(?m)^output-file:.*\n', '', s)
        if c['cell_type'] == 'markdown': s = s.replace('](../', '](' + gh)
        c['source'] = s
    (stage/names[rel]).write_text(json.dumps(nb))
def rename(c): return names.get(c, c) if isinstance(c, str) else {k: [rename(o) for o in v] if k == 'contents' else rename(v) for k, v in c.items()}
(stage/'sidebar.yml').write_text(yaml.safe_dump(rename(yaml.safe_load((stage/'sidebar.yml').read_text())), sort_keys=False))
ny = yaml.safe_load((stage/'nbdev.yml').read_text()); ny.pop('format-links', None)
(stage/'nbdev.yml').write_text(yaml.safe_dump(ny, sort_keys=False))
subprocess.run([str(Path(sys.executable).parent/'smalldocs'), 'render', str(stage)], check=True)
site = stage/cfg.doc_path.name
for p in site.rglob('*'):
    if p.suffix in ('.html', '.md', '.txt', '.json', '.xml') and p.is_file():
        t = p.read_text(); u = t.replace('.llms.md', '.html.md')
        if u != t: p.write_text(u)
for p in list(site.rglob('*.llms.md')): p.rename(p.with_name(p.name.removesuffix('.llms.md') + '.html.md'))
shutil.rmtree(cfg.doc_path, ignore_errors=True); shutil.move(site, cfg.doc_path); shutil.rmtree(stage)
readme = (cfg.doc_path/'index.html.md').read_text().replace('](' + gh, '](')
readme = re.sub(r'\]\(([^)\s]+)\)', lambda m: '](' + doc_link(re.sub(r'\.html\.md\b', '.html', m[1]), cfg.doc_url) + ')', readme)
(cfg.config_path/'README.md').write_text(readme)
print('docs:', cfg.doc_path/'index.html', '; README.md from', cfg.nbs_path/cfg.readme_nb)
