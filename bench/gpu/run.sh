# Device run: GPU paths, then small fwd+bwd LMs at once (bf16) on a corpus slice for S seconds, packaged fp16 into $OUT
S=${1:-300}; DEV=${DEV:-cuda}; export DEV
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD/.gpu/stub:$PWD PYTHONUNBUFFERED=1 MPLBACKEND=Agg
P="python3 -c 'import sys; from protulm.cli import main; sys.exit(main())'"
(nvidia-smi --query-gpu=name,memory.total --format=csv || true) > $OUT/gpu.txt
[ -f /tmp/paths_done ] || python3 .gpu/paths.py > $OUT/paths.log 2>&1
for d in fwd bwd; do
  eval $P pretrain .gpu/corpus --preset small --max-seconds $S --epochs 20 --precision bf16 --no-progress --force --out /tmp/lm_$d $([ $d = bwd ] && echo --backwards) > $OUT/lm_$d.log 2>&1 &
done; wait
for d in fwd bwd; do cp /tmp/lm_$d/config.json $OUT/config_$d.json; eval $P pretrained package /tmp/lm_$d gpu-small-$d --force --dest $OUT/w --corpus .gpu/corpus --command "'.gpu/run.sh $S (H200 bf16, fwd+bwd at once, 32 MB corpus slice, clock-limited)'" >> $OUT/package.log 2>&1; done
for d in fwd bwd; do tar -C $OUT/w -cf $OUT/gpu-small-$d.tar gpu-small-$d; done; rm -rf $OUT/w; ls -la $OUT
