"Properties of the tokenizers, checked with hypothesis."
import pickle
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from protulm.core import ALPHABET
from protulm.data import read_fasta
from protulm.tokenize import ResidueTokenizer, SubwordTokenizer, load_tokenizer, SPECIAL_TOKS, BOS_IDX, EOS_IDX
from conftest import FIX

seqs = st.text(alphabet=ALPHABET, min_size=1, max_size=400)

@pytest.fixture(scope='module')
def corpus(): return read_fasta(FIX/'tiny.fasta').seq.tolist()

@pytest.fixture(scope='module')
def subwords(corpus):
    return [SubwordTokenizer.train(corpus, vocab_sz=300), SubwordTokenizer.train(corpus, vocab_sz=200, model_type='bpe')]

@given(seqs)
def test_residue_roundtrip(s):
    tok = ResidueTokenizer()
    ids = tok.encode(s)
    assert ids.dtype == np.uint8 and len(ids) == len(s)
    assert tok.decode(ids) == s

@given(seqs)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
def test_subword_roundtrip(subwords, s):
    for tok in subwords:
        ids = tok.encode(s)
        assert (ids >= len(SPECIAL_TOKS)).all()
        assert tok.decode(ids) == s

@given(st.lists(seqs, min_size=1, max_size=20), st.booleans(), st.booleans())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_flat_matches_encode(subwords, ss, bos, eos):
    for tok in [ResidueTokenizer(), *subwords]:
        ids,offs = tok.flat(ss, bos=bos, eos=eos)
        assert len(offs) == len(ss)+1 and offs[-1] == len(ids)
        for s,a in zip(ss, tok.numericalize(ss, bos=bos, eos=eos)):
            body = a[int(bos):len(a)-int(eos)]
            assert body.tolist() == tok.encode(s).tolist()
            if bos: assert a[0] == BOS_IDX
            if eos: assert a[-1] == EOS_IDX
            assert tok.decode(a) == s

def test_all_letters_are_tokens(subwords):
    for tok in [ResidueTokenizer(), *subwords]:
        assert set(ALPHABET) <= set(tok.vocab)
        assert tok.vocab[:4] == SPECIAL_TOKS

def test_subword_deterministic_and_portable(tmp_path, corpus, subwords):
    again = SubwordTokenizer.train(corpus, vocab_sz=300)
    assert again.model == subwords[0].model
    f = subwords[0].save(tmp_path/'bundle')
    moved = tmp_path/'elsewhere'; moved.mkdir(); (moved/'tokenizer.model').write_bytes(f.read_bytes()); f.unlink()
    tok = load_tokenizer(moved)
    assert tok.vocab == subwords[0].vocab and tok.encode(corpus[0]).tolist() == subwords[0].encode(corpus[0]).tolist()

def test_pickle(subwords):
    "fastai's tokenizer worker processes pickle the tokenizer"
    for tok in [ResidueTokenizer(), *subwords]:
        t2 = pickle.loads(pickle.dumps(tok))
        assert t2.vocab == tok.vocab and list(t2(['MKVL'])) == list(tok(['MKVL']))

def test_vocab_size_limits(corpus):
    for v in (99, 32001):
        with pytest.raises(ValueError, match='between 100 and 32,000'): SubwordTokenizer.train(corpus, vocab_sz=v)
    with pytest.raises(ValueError, match='no sequences'): SubwordTokenizer.train([], vocab_sz=200)
