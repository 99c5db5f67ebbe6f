"""Streaming prediction at proteome scale: `protulm predict` on a generated 50,000-protein FASTA keeps its peak memory
flat (it grows by far less than the input's size when the input grows tenfold), writes every row in input order, and
leaves no partial output when the input turns bad halfway."""
import resource, subprocess, sys
import numpy as np
import pandas as pd

AA = np.frombuffer(b'ACDEFGHIKLMNPQRSTVWY', dtype=np.uint8)
PEAK = "import resource,sys; from protulm.cli import main; rc=main(sys.argv[1:]); print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)"

def proteins(n, lo=500, hi=900, seed=0):
    "`n` random proteins of `lo` to `hi` residues as FASTA text"
    rng = np.random.default_rng(seed)
    lens = rng.integers(lo, hi, n)
    res = AA[rng.integers(0, len(AA), int(lens.sum()))].tobytes().decode()
    ends = np.cumsum(lens)
    return ''.join(f'>p{i} protein {i}\n{res[e-l:e]}\n' for i,(l,e) in enumerate(zip(lens, ends)))

def predict_peak(clas, fasta, out, *extra):
    "Run `protulm predict` in a fresh process; return (CompletedProcess, peak resident memory in MB)"
    r = subprocess.run([sys.executable, '-c', PEAK, 'predict', clas, fasta, '--out', out, '--no-progress', '--threads', '1', *extra],
                       capture_output=True, text=True, timeout=1200)
    peak = [int(l.split()[1]) for l in r.stdout.splitlines() if l.startswith('PEAK_KB')]
    return r, (peak[0] / 1024 if peak else None)

def test_predict_streams_50000_proteins_in_bounded_memory(tiny, tmp_path):
    small,big = tmp_path/'small.fasta',tmp_path/'big.fasta'
    small.write_text(proteins(5_000, seed=1))
    big.write_text(proteins(50_000, seed=2))
    r,peak_small = predict_peak(tiny.clas, small, tmp_path/'small.csv', '--chunk', '1000')
    assert r.returncode == 0, r.stderr
    r,peak_big = predict_peak(tiny.clas, big, tmp_path/'big.csv', '--chunk', '1000')
    assert r.returncode == 0, r.stderr
    out = pd.read_csv(tmp_path/'big.csv', dtype=str)
    assert len(out) == 50_000 and out.id.tolist() == [f'p{i}' for i in range(50_000)]
    assert set(out.pred) <= set(pd.read_csv(tiny.train, dtype=str).label)
    input_mb = big.stat().st_size / 2**20  # about 33 MB; a whole-file read holds it several times over (text, cleaned, tokens)
    assert peak_big - peak_small < input_mb / 3, (peak_small, peak_big, input_mb)

def test_bad_record_late_in_a_stream_leaves_no_output(tiny, tmp_path):
    f = tmp_path/'late.fasta'
    f.write_text(proteins(3_000, 30, 60) + '>bad\nMK?V\n')
    (tmp_path/'p.csv').write_text('old\n')
    r,_ = predict_peak(tiny.clas, f, tmp_path/'p.csv', '--chunk', '500')
    assert r.returncode == 1 and "record 'bad' (#3001): invalid character '?'" in r.stderr, r.stderr
    assert (tmp_path/'p.csv').read_text() == 'old\n' and [p.name for p in tmp_path.iterdir() if p.name.startswith('.')] == []

def test_submit_streams_and_validates_in_chunks(tiny, tmp_path):
    from protulm.predict import load_models
    from protulm.submit import submit_stream, validate_submission
    ens,ids = load_models([tiny.clas]),pd.read_csv(tiny.test, dtype=str).id.tolist()
    assert submit_stream(ens, tiny.test, tmp_path/'s.csv', id_col='id', chunk=6, progress=False) == len(ids)
    s = pd.read_csv(tmp_path/'s.csv', dtype={'id': str})
    validate_submission(s, ids, ens.labels, 'id')
    assert submit_stream(ens, tiny.test, tmp_path/'l.csv', id_col='id', label_col='label', chunk=7, progress=False) == len(ids)
    lab = pd.read_csv(tmp_path/'l.csv', dtype=str)
    assert lab.id.tolist() == ids and set(lab.label) <= set(ens.labels)

def test_embed_and_score_stream_in_chunks(protulm_here, tiny, tmp_path):
    "Chunked embed (.npz and .csv) and score give what one whole pass gives"
    import numpy as np
    from protulm.embed import embed
    from protulm.score import score_seqs
    test = pd.read_csv(tiny.test, dtype=str)
    r = protulm_here('embed', tiny.lm, tiny.test, '--out', tmp_path/'e.npz', '--chunk', '7')
    assert r.returncode == 0, r.stderr
    z = np.load(tmp_path/'e.npz')
    assert z['ids'].tolist() == test.id.tolist()
    np.testing.assert_allclose(z['emb'], embed(tiny.lm, test.seq.tolist()), atol=1e-5)
    r = protulm_here('embed', tiny.lm, tiny.test, '--out', tmp_path/'e.csv', '--chunk', '7')
    assert r.returncode == 0, r.stderr
    np.testing.assert_allclose(pd.read_csv(tmp_path/'e.csv').iloc[:, 1:].values, z['emb'], atol=1e-5)
    r = protulm_here('score', tiny.lm, tiny.test, '--out', tmp_path/'s.csv', '--chunk', '7', '--no-progress')
    assert r.returncode == 0, r.stderr
    whole = score_seqs(tiny.lm, test.seq.tolist(), ids=test.id.tolist())
    got = pd.read_csv(tmp_path/'s.csv', dtype={'id': str})
    assert got.id.tolist() == test.id.tolist()
    np.testing.assert_allclose(got.filter(like='ll_').values, whole.filter(like='ll_').values, rtol=1e-5)
