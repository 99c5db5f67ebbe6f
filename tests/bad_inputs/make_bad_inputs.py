"""Write the bad-input corpus: small files of the kinds protulm reads (CSV/TSV tables, FASTA, compressed files), each
broken in one way a user's file can be. `tests/test_bad_inputs.py` drives every file through every command that reads
sequences and checks for one line naming the file. Run `python tests/bad_inputs/make_bad_inputs.py` after editing.
Each entry: file name -> (content, what the error says, whether only commands that read labels are concerned)."""
import gzip, lzma
from pathlib import Path

GOOD = 'MKVLAAGIVGLLAKKEESTNPQRW'
BAD = {
    'empty.csv': (b'', 'empty file, no header and no rows', False),
    'header_only.csv': (b'id,seq,label\n', 'no rows, only a header', False),
    'no_seq_column.csv': (f'id,sequence,label\np1,{GOOD},a\n'.encode(), "missing column(s) ['seq']", False),
    'bad_char.csv': (f'id,seq,label\np1,{GOOD},a\np2,MKJL,b\n'.encode(), "record 'p2' (row 3): invalid character 'J' at position 3", False),
    'stop_inside.csv': (f'id,seq,label\np1,{GOOD},a\np2,MK*L,b\n'.encode(), "record 'p2' (row 3): invalid character '*' at position 3", False),
    'empty_seq.csv': (f'id,seq,label\np1,{GOOD},a\np2,,b\n'.encode(), "record 'p2' (row 3): empty sequence", False),
    'dup_ids.csv': (f'id,seq,label\np1,{GOOD},a\np1,{GOOD},b\n'.encode(), "duplicate ID(s), e.g. ['p1']", False),
    'unclosed_quote.csv': (f'id,seq,label\np1,"{GOOD},a\n'.encode(), 'cannot be parsed as a CSV table', False),
    'not_utf8.csv': (b'id,seq,label\np1,MK\xff\xfeVL,a\n', 'cannot be parsed as a CSV table', False),
    'not_gzip.csv.gz': (f'id,seq,label\np1,{GOOD},a\n'.encode(), 'cannot be parsed as a CSV table', False),
    'truncated.tsv.gz': (gzip.compress(f'id\tseq\tlabel\n'.encode() + f'p1\t{GOOD}\ta\n'.encode() * 50, mtime=0)[:60], 'cannot be parsed as a TSV table', False),
    'missing_label.csv': (f'id,seq,label\np1,{GOOD},a\np2,{GOOD},\np3,{GOOD},b\np4,{GOOD}, \n'.encode(), "missing label in column 'label' at rows 3, 5", True),
    'empty.fasta': (b'\n\n', 'empty file, no FASTA records', False),
    'not_fasta.fasta': (f'{GOOD}\n'.encode(), "not FASTA, expected '>' at the start", False),
    'bad_char.fasta': (f'>p1\n{GOOD}\n>p2\nMK?V\n'.encode(), "record 'p2' (#2): invalid character '?' at position 3", False),
    'gap.fasta': (f'>p1\n{GOOD}\n>p2\nMK-V\n'.encode(), "record 'p2' (#2): invalid character '-' at position 3", False),
    'emoji.fasta': (f'>p1\n{GOOD}\n>p2\nMK😀V\n'.encode(), "record 'p2' (#2): invalid character '😀' at position 3", False),
    'empty_record.fasta': (f'>p1\n{GOOD}\n>p2\n'.encode(), "record 'p2' (#2): empty sequence", False),
    'dup_ids.fasta': (f'>p1\n{GOOD}\n>p1\n{GOOD}\n'.encode(), "duplicate ID(s), e.g. ['p1']", False),
    'truncated.fasta.xz': (lzma.compress(f'>p1\n{GOOD}\n'.encode() * 50)[:40], 'cannot be read as text', False),
    'structure.pdb': (b'ATOM      1  N   MET A   1\n', "unknown format '.pdb'", False),
}

if __name__ == '__main__':
    d = Path(__file__).parent
    for name,(content,_,_) in BAD.items(): (d/name).write_bytes(content)
    print(f"wrote {len(BAD)} files to {d}")
