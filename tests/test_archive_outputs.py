"`protulm embed` and `protulm evaluate` with an output named like an archive (`.zip`, `.tar.gz`), as `predict` takes it; directory outputs (bundles, runs, reports) named so are refused"
import tarfile, zipfile
import pandas as pd
import pytest

@pytest.mark.parametrize('name,member', [('e.zip', 'e.csv'), ('e.csv.zip', 'e.csv'), ('e.tar.gz', 'e.csv')])
def test_embed_archive_holds_one_csv(protulm_here, tiny, tmp_path, name, member):
    "An archive written a chunk at a time holds one CSV named after it, equal to the plain `.csv` output"
    for out in ('e.csv', name):
        r = protulm_here('embed', tiny.lm, tiny.test, '--out', tmp_path/out, '--chunk', '7', '--no-progress', '--precision', 'fp32')
        assert r.returncode == 0, r.stderr
    names = tarfile.open(tmp_path/name).getnames() if name.endswith('.tar.gz') else zipfile.ZipFile(tmp_path/name).namelist()
    assert names == [member]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path/name), pd.read_csv(tmp_path/'e.csv'))

@pytest.mark.parametrize('name', ['ev.zip', 'ev.csv.zip', 'ev.tar.gz'])
def test_evaluate_refuses_archive_name(protulm_here, tiny, tmp_path, name):
    "The reports are a directory of files: a name that says archive is one error line, before the input is read, and nothing is written"
    r = protulm_here('evaluate', tiny.clas, tmp_path/'missing.csv', '--out', tmp_path/name, '--no-progress')
    assert r.returncode == 1 and f"{tmp_path/name}: names an archive" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path/name).exists()

@pytest.mark.parametrize('args', [('finetune', '{train}', '--encoder', '{lm}', '--out', '{out}/clas.zip', '--precision', 'fp32'),
                                  ('recipe', 'task', '{train}', '--lms', 'fwd={lm}', '--out', '{out}/run.tar.gz'),
                                  ('pretrain', '{train}', '--preset', 'tiny', '--out', '{out}/lm.tar')])
def test_directory_outputs_refuse_archive_names(protulm_here, tiny, tmp_path, args):
    "A bundle, a recipe's run or a report is a directory: named like an archive, it is one error line before any work, and nothing is written"
    args = [a.format(train=tiny.train, lm=tiny.lm, clas=tiny.clas, out=tmp_path) for a in args]
    r = protulm_here(*args)
    assert r.returncode == 1 and 'names an archive' in r.stderr and 'is a directory of files' in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not any(tmp_path.iterdir())
