#!/usr/bin/env bash
# Pretrain the LMs that `protulm bench tasks` and `protulm bench tokenizers` fine-tune: residue forward and backward, and
# forward LMs on SentencePiece unigram vocabs of 100, 1,000 and 8,000 pieces. Same preset, same corpus and held-out
# split, same wall-clock budget each. Two LMs train at a time with one thread each (2 cores).
# Usage: bench/pretrain_lms.sh [WORK_DIR] [SECONDS] [PRESET]
set -euo pipefail
W=${1:-bench/work}; S=${2:-900}; P=${3:-small}
BIN=${BIN:-.venv/bin}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
mkdir -p "$W"
lm() { # OUT TOKENIZER [--backwards]
  [ -f "$W/$1/config.json" ] && { echo "$1: done already"; return; }
  "$BIN/protulm" pretrain refseq_proteomes --preset "$P" --tokenizer "$2" --max-seconds "$S" --epochs 1 \
    --valid-pct 0.01 --precision fp32 --no-progress --out "$W/$1" "${@:3}" > "$W/$1.log" 2>&1
  tail -1 "$W/$1.log"
}
tok() { # VOCAB
  [ -f "$W/tok_u$1/tokenizer.model" ] || "$BIN/protulm" tokenizer train refseq_proteomes --vocab-size "$1" \
    --model-type unigram --max-sentences 20000 --out "$W/tok_u$1" > "$W/tok_u$1.log" 2>&1
  tail -2 "$W/tok_u$1.log" | head -1
}
lm lm_fwd residue & lm lm_bwd residue --backwards & wait
tok 100; tok 1000; tok 8000
lm lm_u100 "$W/tok_u100" & lm lm_u1000 "$W/tok_u1000" & wait
lm lm_u8000 "$W/tok_u8000"
