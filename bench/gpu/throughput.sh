#!/usr/bin/env bash
# GPU throughput (issue 16), run on the device machine from the repo root with .whl/ and .gpu/stub carried (see run.sh):
# `protulm predict` sequences/s for a fwd+bwd ensemble (the scl2205 classifiers of run_tasks_shipped.sh) on the yeast
# proteome (bench/work/predict/yeast.fasta, 6,077 proteins), and LM training residues/s, small and base presets, bf16,
# S seconds each on that proteome. Results into $OUT: predict_*.txt, predict_*.csv row counts, config_{small,base}.json.
S=${1:-60}; PY=${PY:-python3}
[ -n "$SKIP_PIP" ] || python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD/.gpu/stub:$PWD PYTHONUNBUFFERED=1 MPLBACKEND=Agg
P="$PY -c 'import sys; from protulm.cli import main; sys.exit(main())'"
(nvidia-smi --query-gpu=name,memory.total --format=csv || true) > $OUT/gpu.txt
C=bench/work/tasks_shipped/scl2205; Y=bench/work/predict/yeast.fasta
for run in warmup auto auto2 fp32; do
  prec=$([ $run = fp32 ] && echo fp32 || echo auto)
  TIMEFORMAT="$run precision=$prec wall_s=%R"
  { time eval $P predict $C/clas_fwd $C/clas_bwd $Y --precision $prec --no-progress --out /tmp/p_$run.csv ; } >> $OUT/predict.txt 2>&1
  echo "$run rows $(($(wc -l < /tmp/p_$run.csv) - 1))" >> $OUT/predict.txt
done
cmp /tmp/p_auto.csv /tmp/p_auto2.csv >> $OUT/predict.txt 2>&1 && echo "auto runs identical" >> $OUT/predict.txt
for p in small base; do
  eval $P pretrain $Y --preset $p --max-seconds $S --epochs 20 --precision bf16 --no-progress --force --out /tmp/lm_$p > $OUT/lm_$p.log 2>&1
  cp /tmp/lm_$p/config.json $OUT/config_$p.json
done
ls -la $OUT
