"""`protulm baseline` end to end: a baseline fit on a labelled table predicts a labelled table (scored), a FASTA file
(unlabelled) and a dataset; it refuses to write over its inputs and names unknown baselines."""
import pandas as pd
from conftest import one_line_error

def test_kmer_scores_a_labelled_table(cli, tiny, tmp_path):
    rc,out,err = cli('baseline', 'kmer', tiny.train, tiny.test, '--out', tmp_path/'b.csv', '--k', '2')
    assert rc == 0, err
    assert 'predictions by kmer' in out and '| accuracy | macro_f1 | log_loss | n |' in out
    b,test = pd.read_csv(tmp_path/'b.csv', dtype=str),pd.read_csv(tiny.test, dtype=str)
    assert list(b.columns) == ['id', 'pred', 'pred_prob', 'top2', 'top2_prob', 'label']
    assert b.id.tolist() == test.id.tolist() and b.label.tolist() == test.label.tolist()  # labels verbatim, rows in order
    assert (b.pred == b.label).mean() > 0.5  # the toy classes' motifs are what 3-mers see

def test_hmm_predicts_fasta(cli, tiny, tmp_path):
    test = pd.read_csv(tiny.test, dtype=str)
    fa = tmp_path/'q.fasta'; fa.write_text(''.join(f'>{i}\n{s}\n' for i,s in zip(test.id, test.seq)))
    rc,out,err = cli('baseline', 'hmm', tiny.train, fa, '--out', tmp_path/'h.csv')
    assert rc == 0, err
    h = pd.read_csv(tmp_path/'h.csv', dtype=str)
    assert list(h.columns[:4]) == ['id', 'pred', 'pred_prob', 'top2'] and h.id.tolist() == test.id.tolist() and 'accuracy' not in out
    assert set(h.pred) <= set(pd.read_csv(tiny.train, dtype=str).label)
    prob = h.pred_prob.astype(float)
    assert ((0 < prob) & (prob <= 1)).all() and (prob >= h.top2_prob.astype(float)).all()  # calibrated bit scores, ranked

def test_refusals(cli, tiny, tmp_path):
    before = tiny.test.read_bytes()
    one_line_error(cli('baseline', 'kmer', tiny.train, tiny.test, '--out', tiny.test), 'baseline', tiny.test)
    assert tiny.test.read_bytes() == before
    one_line_error(cli('baseline', 'blast', tiny.train, tiny.test, '--out', tmp_path/'b.csv'), 'baseline', "unknown baseline 'blast'")
    one_line_error(cli('baseline', 'kmer', tiny.train, tiny.test, '--k', '0', '--out', tmp_path/'b.csv'), 'baseline', '--k 0')
    assert list(tmp_path.iterdir()) == []
