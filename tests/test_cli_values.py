"""Option values no run can use, outputs that are directories, IDs pandas reads as missing: each command says so in one line,
before it writes anything (the CLI audit of the options, as `test_bad_inputs.py` is of the input files)."""
import pandas as pd
import pytest
from conftest import TINY, one_line_error

GROUPS = ('recipe', 'bench', 'residue')  # commands whose subcommand names the error: `protulm recipe pfam: error: ...`
FAST = ['--stages', '1:1:1', '--no-progress', '--precision', 'fp32']

# (arguments given the session's bundles `t` and an output directory `o`, what the error says)
BAD_VALUES = {
    'finetune --bs 0': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--bs', '0', *FAST], '--bs 0: must be at least 2'),
    'finetune --max-len 0': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--max-len', '0', *FAST], '--max-len 0: must be at least 1'),
    'finetune --lr 0': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--lr', '0', *FAST], '--lr 0.0: must be more than 0'),
    'finetune --drop-mult -1': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--drop-mult', '-1', *FAST], '--drop-mult -1.0: must be at least 0'),
    'finetune --seed -1': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--seed', '-1', *FAST], '--seed -1: must be a whole number from 0 to 4294967295'),
    'finetune --stages 9:1:1': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', *FAST, '--stages', '9:1:1'], 'layer groups; unfreeze at most'),
    'finetune --lin-ftrs 0': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', *FAST, '--lin-ftrs', '0'], "lin_ftrs '0': expected hidden sizes of at least 1"),
    'finetune --lin-ftrs wide': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', *FAST, '--lin-ftrs', 'wide'], "lin_ftrs 'wide': expected hidden sizes"),
    'finetune --lin-ftrs 1e11': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', *FAST, '--lin-ftrs', '100000000000'], '--lin-ftrs 100000000000 (the head): 9,600,000,000,000 parameters'),  # before: torch's allocation error
    'pretrain --emb-sz 1e8': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--emb-sz', '100000000'], '--emb-sz 100000000, --n-hid'),  # before: torch's allocation error
    'recipe task --lm-epochs 0': (lambda t,o: ['recipe', 'task', t.train, '--lms', 'scratch', '--lm-epochs', '0', '--out', o/'r', *FAST], '--lm-epochs 0: must be at least 1'),  # before: named pretrain's --epochs
    'ensemble --weights-for bogus': (lambda t,o: ['ensemble', t.clas, '--weights-for', 'bogus', '--out', o/'e.json'], "weights_for 'bogus': expected one of log_loss, accuracy"),  # before: accepted without --valid
    'embed --method bogus': (lambda t,o: ['embed', t.lm, t.test, '--method', 'bogus', '--out', o/'e.npz'], "--method bogus: expected 'tsne' or 'pca'"),  # before: accepted without --plot
    'recipe pfam --lin-ftrs 0': (lambda t,o: ['recipe', 'pfam', '--out', o/'r', '--lin-ftrs', '0'], "lin_ftrs '0': expected hidden sizes of at least 1"),
    'recipe task --bs 0': (lambda t,o: ['recipe', 'task', t.train, '--lms', f'fwd={t.lm}', '--out', o/'r', '--bs', '0', *FAST], '--bs 0: must be at least 2'),
    'recipe task --lms bwd=FWD_LM': (lambda t,o: ['recipe', 'task', t.train, '--lms', f'bwd={t.lm}', '--out', o/'r', *FAST], 'a fwd LM, given as the bwd one'),
    'recipe task --lms fwd=CLASSIFIER': (lambda t,o: ['recipe', 'task', t.train, '--lms', f'fwd={t.clas}', '--out', o/'r', *FAST], 'not a protulm LM bundle'),
    'recipe task --out inside a file': (lambda t,o: ['recipe', 'task', t.train, '--lms', f'fwd={t.lm}', '--out', t.test/'r', *FAST], 'test.csv is a file, not a directory'),
    'finetune --bs 1': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--bs', '1', *FAST], '--bs 1: must be at least 2'),  # before: torch's batch-norm error mid-training
    'finetune --lr inf': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--lr', 'inf', *FAST], '--lr inf: must be more than 0, a finite number'),
    'finetune --seed 2**40': (lambda t,o: ['finetune', t.train, '--encoder', t.lm, '--out', o/'c', '--seed', str(2**40), *FAST], 'must be a whole number from 0 to 4294967295'),
    'pretrain --wd inf': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--wd', 'inf'], '--wd inf: must be at least 0, a finite number'),
    'pretrain --bs 0': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--bs', '0'], '--bs 0: must be at least 1'),
    'pretrain --bptt -1': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--bptt', '-1'], '--bptt -1: must be at least 1'),
    'pretrain --valid-pct 1.5': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--valid-pct', '1.5'], '--valid-pct 1.5: must be between 0 and 1'),
    'pretrain --max-seconds 0': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--max-seconds', '0'], '--max-seconds 0.0: must be more than 0'),
    'pretrain --n-layers 0': (lambda t,o: ['pretrain', t.train, '--out', o/'lm', *TINY, '--n-layers', '0'], '--n-layers 0: must be at least 1'),
    'sample --num 0': (lambda t,o: ['sample', t.lm, '--num', '0'], '--num 0: must be at least 1'),
    'score --device gpu': (lambda t,o: ['score', t.lm, t.test, '--out', o/'s.csv', '--device', 'gpu'], "device 'gpu': expected 'cpu', 'cuda', 'cuda:N' or 'mps'"),
    'score --device meta': (lambda t,o: ['score', t.lm, t.test, '--out', o/'s.csv', '--device', 'meta'], "device 'meta': expected 'cpu', 'cuda', 'cuda:N' or 'mps'"),
    'embed --device xla': (lambda t,o: ['embed', t.lm, t.test, '--out', o/'e.npz', '--device', 'xla'], "device 'xla': expected 'cpu', 'cuda', 'cuda:N' or 'mps'"),
    'embed --device cuda:7': (lambda t,o: ['embed', t.lm, t.test, '--out', o/'e.npz', '--device', 'cuda:7'], "device 'cuda:7': torch sees"),
    'evaluate --top 0': (lambda t,o: ['evaluate', t.clas, t.test, '--out', o/'ev', '--top', '0'], '--top 0: must be at least 1'),
    'ensemble --valid unlabelled': (lambda t,o: ['ensemble', t.clas, '--valid', t.dir/'unlabelled.fasta', '--out', o/'e.json'], "unlabelled.fasta: no labels (no 'label' column)"),
    'predict --out a directory': (lambda t,o: ['predict', t.clas, t.test, '--out', f'{o}/'], 'is a directory; give a file name'),
    'predict --out inside a file': (lambda t,o: ['predict', t.clas, t.test, '--out', t.test/'p.csv'], 'test.csv is a file, not a directory'),
    'ensemble --out a directory': (lambda t,o: ['ensemble', t.clas, '--out', f'{o}/e.json/'], 'is a directory; give a file name'),
    'predict with a classifier that is an LM': (lambda t,o: ['predict', t.lm, t.test, '--out', o/'p.csv'], 'not a protulm classifier bundle; it is an LM bundle'),
}

@pytest.mark.parametrize('case', list(BAD_VALUES))
def test_bad_value(cli, tiny, tmp_path, case):
    args,msg = BAD_VALUES[case]
    (tiny.dir/'unlabelled.fasta').write_text(''.join(f'>{r.id}\n{r.seq}\n' for r in tiny.toy.itertuples()))
    o = tmp_path/'out'; o.mkdir()
    a = args(tiny, o)
    one_line_error(cli(*a), ' '.join(a[:2] if a[0] in GROUPS else a[:1]), msg)
    assert not any(o.iterdir()), list(o.iterdir())

def test_empty_directory_not_replaced_by_a_file(cli, tiny, tmp_path):
    (tmp_path/'o').mkdir()
    one_line_error(cli('predict', tiny.clas, tiny.test, '--out', tmp_path/'o'), 'predict', 'is a directory; give a file name')
    assert (tmp_path/'o').is_dir()

def test_submit_keeps_ids_pandas_reads_as_missing(cli, tiny, tmp_path):
    "IDs such as NA, null or nan are IDs: written and validated verbatim"
    ids = ['NA', 'null', 'nan', 'N/A', 'None']
    tiny.toy[200:205].assign(id=ids).to_csv(tmp_path/'t.csv', index=False)
    rc,_,err = cli('submit', tiny.clas, tmp_path/'t.csv', '--id-col', 'id', '--out', tmp_path/'s.csv')
    assert rc == 0, err
    assert pd.read_csv(tmp_path/'s.csv', dtype=str, keep_default_na=False).id.tolist() == ids

def test_sample_prompt_checked(cli, tiny):
    rc,out,err = cli('sample', tiny.lm, '--prompt', 'mkv', '--n', '0', '--num', '1')
    assert rc == 0 and out.strip() == 'MKV', err
    one_line_error(cli('sample', tiny.lm, '--prompt', 'MKJ'), 'sample', "prompt: invalid character 'J' at position 3")

def test_finetune_head_sizes(cli, tiny, tmp_path):
    "--lin-ftrs sets the head's hidden layers; the bundle records them and predicts with them"
    rc,_,err = cli('finetune', tiny.train, '--encoder', tiny.lm, '--out', tmp_path/'c', *FAST, '--lin-ftrs', '24,12')
    assert rc == 0, err
    from protulm.classifier import load_classifier
    assert load_classifier(tmp_path/'c').config['clas_config']['lin_ftrs'] == [24, 12]
    rc,_,err = cli('predict', tmp_path/'c', tiny.test, '--out', tmp_path/'p.csv')
    assert rc == 0 and len(pd.read_csv(tmp_path/'p.csv')) == len(pd.read_csv(tiny.test)), err

def _defaults(*fs):
    "The default of each parameter of functions `fs`, the first function that has it winning"
    import inspect
    return {k: p.default for f in reversed(fs) for k,p in inspect.signature(f).parameters.items() if p.default is not p.empty}

SAME_AS_STRING = {'lin_ftrs': lambda v: ','.join(map(str, v)), 'blend': ','.join}  # options the CLI takes as text

@pytest.mark.parametrize('cmd,chain', [('recipe_task_cmd', ['task_recipe', 'competition', 'run_ulmfit']),
                                       ('recipe_kinase_cmd', ['kinase_recipe', 'competition', 'run_ulmfit']),
                                       ('recipe_pfam_cmd', ['pfam_recipe', 'competition', 'run_ulmfit']),
                                       ('recipe_regress_cmd', ['reg_recipe', 'reg_finetune'])])
def test_recipe_defaults_are_the_apis(cmd, chain):
    "A recipe run from Python with its defaults trains what the command does with its defaults"
    from protulm import recipes, pipeline, regress
    find = lambda name: next(getattr(m, name) for m in (recipes, pipeline, regress) if hasattr(m, name))
    api,cli = _defaults(*map(find, chain)),_defaults(find(cmd))
    differ = {k: (v, api[k]) for k,v in cli.items() if k in api and v != SAME_AS_STRING.get(k, lambda x: x)(api[k]) and not (v == 0 and api[k] is None)}
    assert not differ, f"{cmd}: CLI default != Python default: {differ}"
