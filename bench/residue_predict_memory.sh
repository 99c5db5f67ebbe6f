#!/usr/bin/env bash
# Peak memory of `protulm residue predict` on all 17 RefSeq proteomes (48,857 proteins, 15.25M residues) with --probs:
# this checkout, oneDNN's primitive cache off (the inference default now) and on; and, given OLD=<a checkout of an
# earlier commit>, that commit's code (c4fbbc1 read the whole input). Needs a residue tagger: bench/work/residue/ulmfit_bwd
# (`protulm bench residue`). Writes bench/work/residue_memory/*.log; the figures go to bench/results/residue_predict_memory.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export PROTULM_DATA=${PROTULM_DATA:-../shared/data} OMP_NUM_THREADS=${THREADS:-2}
W=bench/work/residue_memory; B=bench/work/residue/ulmfit_bwd; mkdir -p $W
xzcat "$PROTULM_DATA"/refseq_proteomes/*.faa.xz > $W/all.faa
run() { /usr/bin/time -v "$@" residue predict $B $W/all.faa --probs $W/$name.npz --out $W/$name.csv > $W/$name.log 2>&1; grep -E 'Maximum resident|Elapsed' $W/$name.log; }
name=cache_off; run .venv/bin/protulm
name=cache_on; ONEDNN_PRIMITIVE_CACHE_CAPACITY=1024 run .venv/bin/protulm
if [ -n "${OLD:-}" ]; then  # the editable install's finder is dropped so that OLD's package is the one imported
  name=old; run .venv/bin/python -c "import sys; sys.meta_path=[f for f in sys.meta_path if 'editable' not in repr(f)]; sys.path.insert(0, '$OLD'); from protulm.cli import main; sys.exit(main())"
fi
cmp $W/cache_off.csv $W/cache_on.csv && echo "cache off and on: the same labels"
