#!/usr/bin/env bash
# Prediction throughput (issue 15): every method side by side on the SCOP test split and on the yeast proteome, then
# `protulm predict` alone on a Pfam-test-sized set (126,171 domains). Needs the task classifiers of run_tasks_shipped.sh
# (bench/work/tasks_shipped/{scop,scl2205,pfam_subset}/clas_{fwd,bwd}). Run on a quiet machine: it measures speed.
set -euo pipefail
cd "$(dirname "$0")/.."
P=.venv/bin/protulm; W=bench/work/tasks_shipped; R=bench/results; T=${THREADS:-2}
export PROTULM_DATA=${PROTULM_DATA:-../shared/data}
mkdir -p bench/work/predict
$P bench predict $W/scop/clas_fwd $W/scop/clas_bwd scop:test --threads $T --out $R/predict_scop.md
xzcat "$PROTULM_DATA/uniprot_proteomes/UP000002311-S.cerevisiae.fasta.xz" > bench/work/predict/yeast.fasta
$P bench predict $W/scl2205/clas_fwd $W/scl2205/clas_bwd bench/work/predict/yeast.fasta --threads $T --out $R/predict_proteome.md
.venv/bin/python -c "from protulm.bench.speed import domain_set; domain_set('bench/work/predict/domains.fa')"
$P bench predict $W/pfam_subset/clas_fwd $W/pfam_subset/clas_bwd bench/work/predict/domains.fa --methods stream --threads $T --out $R/predict_pfam_sized.md
