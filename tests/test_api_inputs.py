"""The Python API refuses bad arguments as the CLI does: each call below ends in one `DataError`, `ValueError` or `TypeError`
that protulm raises itself (a `raise` line in protulm's code) before any work, never an error from inside pandas, numpy,
scikit-learn, torch or fastai (an `AttributeError`, `KeyError`, `IndexError`...), and writes nothing. Each case is a
failure an audit of the public functions reproduced; the notebooks test the messages."""
import traceback
from pathlib import Path
import numpy as np
import pytest
import protulm
from protulm.core import DataError, LabelVocab, clean_seqs
from protulm.data import toy_proteins, read_input, read_table
from protulm.tokenize import ResidueTokenizer, SubwordTokenizer
from protulm.lm_data import lm_dataloaders
from protulm.stream import stream_input
from protulm.pretrain import pretrain, sample, load_lm
from protulm.classifier import finetune, load_classifier
from protulm.infer import Predictor
from protulm.predict import Ensemble
from protulm.evaluate import evaluate
from protulm.submit import make_submission
from protulm.score import score_seqs
from protulm.embed import embed
from protulm.pipeline import run_ulmfit
from protulm.baselines import KmerModel
from protulm.regress import KmerRegressor, reg_finetune, regression_scores

PKG = Path(protulm.__file__).parent
MKV = ['MKVLAAGIVG', 'MSTNPKPQRK']

CALLS = {  # what the call is -> the call, given the session's bundles `t` and an output directory `o`
    'finetune from a loaded classifier': lambda t,o: finetune(t.toy[:40], load_classifier(t.clas), o/'c'),
    'finetune holding out every row': lambda t,o: finetune(t.toy[:28], t.lm, o/'c', valid_pct=0.99),
    'finetune on an unknown device': lambda t,o: finetune(t.toy[:40], t.lm, o/'c', device='gpu'),
    'pretrain for 1.5 epochs': lambda t,o: pretrain(MKV * 5, o/'lm', preset='tiny', epochs=1.5),
    "pretrain backwards='no'": lambda t,o: pretrain(MKV * 5, o/'lm', preset='tiny', backwards='no'),
    'read a table without a sequence column': lambda t,o: read_table(t.test, seq_col=None),
    'sample 2.5 tokens': lambda t,o: sample(t.lm, n=2.5),
    'an LM in an ensemble': lambda t,o: Ensemble([t.clas, load_lm(t.lm)]),
    'ensemble weights of another shape': lambda t,o: Ensemble([t.clas], weights=1),
    'evaluate with a 0-class confusion matrix': lambda t,o: evaluate(t.clas, t.toy[200:], o/'ev', top=0),
    'submission probabilities all 0': lambda t,o: make_submission(t.clas, t.toy[200:], o/'s.csv', probs=np.zeros((40, 3))),
    'score with no LM': lambda t,o: score_seqs(None, MKV),
    'score IDs as one string': lambda t,o: score_seqs(t.lm, MKV, ids='ab'),
    'embed with a number for a bundle': lambda t,o: embed(3, MKV),
    'predict with an LM': lambda t,o: Predictor(t.lm),
    'k-mer model before fit': lambda t,o: KmerModel().predict_proba(MKV),
    'k-mer model k=3': lambda t,o: KmerModel(k=3),
    'k-mer regressor before fit': lambda t,o: KmerRegressor().predict(MKV),
    'regressor target not a name': lambda t,o: reg_finetune(t.toy[:40].assign(label=np.arange(40.)), t.lm, o/'g', target=5, stages='1:1:1', bs=16),
    'regression scores of NaN': lambda t,o: regression_scores([1, np.nan, 3], [1, 2, 3]),
    'labels as one string': lambda t,o: LabelVocab('abc'),
    'the index of an unknown label': lambda t,o: LabelVocab(['a', 'b']).decode([-1]),
    'clean one string as many': lambda t,o: clean_seqs('ACDEF'),
    'toy proteins of no class': lambda t,o: toy_proteins(n_classes=0),
    'read no input': lambda t,o: read_input([]),
    'run without validation rows': lambda t,o: run_ulmfit(None, t.toy[:40], None, o/'r', lms={'fwd': t.lm}, directions=('fwd',), blend='kmer', stages='1:1:1', bs=16, progress=False),
    'run in direction up': lambda t,o: run_ulmfit(None, t.toy[:40], t.toy[40:60], o/'r', directions='up'),
    'LM batches of 0 rows': lambda t,o: lm_dataloaders(MKV * 5, bs=0),
    'stream chunks of 2.5 rows': lambda t,o: stream_input(t.test, chunk=2.5),
    'decode a token id outside the vocab': lambda t,o: ResidueTokenizer().decode([99]),
    'subword vocab of 150.5 pieces': lambda t,o: SubwordTokenizer.train(MKV * 10, 150.5),
}

@pytest.mark.parametrize('name', CALLS)
def test_refused_by_protulm(tiny, tmp_path, name):
    with pytest.raises((DataError, ValueError, TypeError)) as e: CALLS[name](tiny, tmp_path)
    last = traceback.extract_tb(e.value.__traceback__)[-1]
    assert Path(last.filename).parent == PKG and 'raise' in last.line, f"{type(e.value).__name__} from {last.filename}:{last.lineno} ({last.line}): {e.value}"
    assert list(tmp_path.iterdir()) == []
