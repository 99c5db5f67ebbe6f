"Bad files and bad sequences give one clear DataError/SequenceError naming file, record and position."
import gzip, lzma
import pandas as pd
import pytest
from protulm.core import DataError, SequenceError, clean_seq
from protulm.data import read_fasta, read_table, read_pfam, read_kinase, read_seqs, load_dataset, make_pfam_fixture

def err(f, *a, **kw):
    with pytest.raises(ValueError) as e: f(*a, **kw)
    return e

@pytest.mark.parametrize('txt,exc,msg', [
    ('', DataError, 'empty file'),
    ('\n\n  \n', DataError, 'empty file'),
    ('MKVL\n', DataError, "not FASTA, expected '>'"),
    ('>a\nMKVL\n>b\n', SequenceError, "record 'b' (#2): empty sequence"),
    ('>a\nMKVL\n>\nMK\n', DataError, 'record 2 has an empty header'),
    ('>a\nMKVL\n>a\nMKVL\n', DataError, "duplicate ID(s), e.g. ['a']"),
    ('>a\nMKVL\n>b\nMKV\nLL#A\n', SequenceError, "record 'b' (#2): invalid character '#' at position 6"),
    ('>a\nMK*VL\n', SequenceError, "invalid character '*' at position 3"),
    ('>a\nMK-VL\n', SequenceError, "invalid character '-' at position 3"),
])
def test_fasta_errors(tmp_path, txt, exc, msg):
    p = tmp_path/'x.fasta'; p.write_text(txt)
    e = err(read_fasta, p)
    assert e.type is exc and msg in str(e.value) and str(p) in str(e.value)

def test_fasta_options(tmp_path):
    p = tmp_path/'x.fa'; p.write_text('>a\nMK-VL*\n>b\n  1 mkvl\n')
    df = read_fasta(p, gaps='remove', digits='remove')
    assert df.seq.tolist() == ['MKVL', 'MKVL']
    assert read_fasta(p, gaps='keep', digits='remove').seq[0] == 'MK-VL'

def test_compressed_garbage(tmp_path):
    p = tmp_path/'x.fa.gz'; p.write_bytes(b'this is not gzip')
    assert 'cannot be read as text' in str(err(read_fasta, p).value)
    p = tmp_path/'y.fa.xz'; p.write_bytes(b'\xfd7zXZ\x00 truncated')
    assert 'cannot be read as text' in str(err(read_fasta, p).value)

def test_not_utf8(tmp_path):
    p = tmp_path/'x.fa'; p.write_bytes(b'>a\nMK\xff\xfeVL\n')
    assert 'cannot be read as text' in str(err(read_fasta, p).value)

def test_missing_file(tmp_path):
    for f in (read_fasta, read_table, read_kinase, read_seqs):
        e = err(f, tmp_path/'nope.csv')
        assert e.type is DataError and 'no such file' in str(e.value)

@pytest.mark.parametrize('txt,kw,msg', [
    ('', {}, 'empty file'),
    ('seq,label\n', {}, 'no rows, only a header'),
    ('sequence,label\nMKV,a\n', {}, "missing column(s) ['seq']; columns present: ['sequence', 'label']"),
    ('seq,target\nMKV,a\n', {}, "missing column(s) ['label']"),
    ('seq,label\nMKV,a\n,b\n', {}, "record '1' (row 3): empty sequence"),
    ('seq,label\nMKV,a\nMKV,\n', {}, "missing label in column 'label' at row 3"),
    ('ID,seq,label\nx,MKV,a\nx,MKV,b\n', {'id_col': 'ID'}, "duplicate ID(s), e.g. ['x']"),
    ('seq,label\nMKV,a\nMK V!,b\n', {}, "record '1' (row 3): invalid character '!' at position 4"),
    ('seq,label\n"MKV,a\n', {}, 'cannot be parsed as a CSV table'),
])
def test_table_errors(tmp_path, txt, kw, msg):
    p = tmp_path/'x.csv'; p.write_text(txt)
    e = err(read_table, p, **kw)
    assert msg in str(e.value) and str(p) in str(e.value), str(e.value)

def test_unlabelled_table_and_tsv(tmp_path):
    p = tmp_path/'x.tsv.gz'
    with gzip.open(p, 'wt') as f: f.write('name\tsequence\nq1\tmkvl\n')
    df = read_seqs(p, seq_col='sequence', label_col=None, id_col='name')
    assert df.to_dict('list') == {'id': ['q1'], 'seq': ['MKVL']}

def test_kinase_errors(tmp_path):
    p = tmp_path/'Train.csv'; p.write_text('Id,Seq,target\nx,MKV,AGC\n')
    assert "missing column(s) ['Sequence', 'ID']" in str(err(read_kinase, p).value)
    p.write_text('ID,Sequence,target\nID_train_1,MKV,AGC\nID_train_1,MKV,AGC\n')
    assert 'duplicate ID(s)' in str(err(read_kinase, p).value)

def test_pfam_errors(tmp_path):
    rs = make_pfam_fixture(tmp_path, [('A', 'PF1.1', 'MKVL'), ('B', 'PF2.1', 'MSTN')], n_shards=2)
    assert len(read_pfam(rs/'train')) == 2
    (rs/'dev'/'data-00000-of-00002').unlink()
    assert 'found 1 of 2 shards' in str(err(read_pfam, rs/'dev').value)
    (rs/'test'/'data-00000-of-00002').write_text('family_id,sequence_name,sequence\nA,a/1-4,MKVL\n')
    assert "missing column(s) ['family_accession']" in str(err(read_pfam, rs/'test').value)
    assert 'no such Pfam split directory' in str(err(read_pfam, tmp_path/'nowhere').value)
    empty = tmp_path/'empty'; empty.mkdir()
    assert 'not a Pfam split' in str(err(read_pfam, empty).value)

def test_registry_errors(tmp_path):
    assert 'unknown dataset' in str(err(load_dataset, 'imagenet').value)
    e = err(load_dataset, 'remote_homology', 'test', data=tmp_path)
    assert 'remote_homology.test.csv not found' in str(e.value) and 'protulm data get remote_homology' in str(e.value)

def test_unknown_format(tmp_path):
    p = tmp_path/'x.pdb'; p.write_text('ATOM')
    assert "unknown format '.pdb'" in str(err(read_seqs, p).value)

@pytest.mark.parametrize('s,msg', [('MKVJ', "'J' at position 4"), ('MKV\x00', "'\\x00' at position 4"), ('ΜΚ', "'Μ' at position 1"),
                                   ('mkvlagﬁlaß', "'ﬁ' at position 7"), ('MKV\nLıL', "'ı' at position 5")])  # not upper-cased to FI, I
def test_clean_seq_position(s, msg):
    assert msg in str(err(clean_seq, s, where='f.fa, record 1').value)
