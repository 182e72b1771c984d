#!/usr/bin/env bash
# Shape first with three times the scenes (sessions 11-12; BENCHMARKS.md, "Shape first, three times the
# scenes"): the candidate successor of weights/shapes-clip, in three phases.
# Phase 1: CLIP's init of the shipped config (seed 0), 38,400 fresh
# single-object scenes (seed 11) captioned "a {shape}" only, batch 64, lr 5e-4, warmup 100, cosine over
# 12,000 steps, a checkpoint every 250 steps, zero-shot validation every 500 (held/, seed 999; the
# results are in WORKDIR/long.json when the run ends).
# Phase 2: the world's captions of the shipped model's two worlds (scripts/shapes-worlds.sh) plus 12,800
# of phase 1's rows, 2,000 steps at lr 1e-3, warmup 100 (mixB/): colour, which phase 1 never saw, while
# the shape rows keep shape (at lr 3e-4 colour crawled: 25% after 600 steps). Phase 3: the world's
# captions alone, 600 steps at lr 3e-4, no warmup (worldB/), for the last points of colour.
# The candidate is WORKDIR/worldB/step-600: held out, shape 96.8%, colour 98.8%, pointing 88.7%,
# detection 83.1% (BENCHMARKS.md, "Shape first, three times the scenes").
# About 0.7-1 s a step on llvmpipe: run it again and it continues from the last checkpoint of the
# phase it stopped in (--resume), so it can span sessions.
#   scripts/train-shape-long.sh [WORKDIR] [ADAPTER]        (defaults: /work/runs, gles)
# Its held-out scenes are the meaning tests' own seeds (test/meaning/), none of these.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/work/runs}
ADAPTER=${2:-gles}
cli() { node bin/clip-webgpu.mjs "$@"; }
mkdir -p "$W"
[ -f "$W/shape38k/truth.json" ] ||
  cli world --out "$W/shape38k" --n 38400 --seed 11 --objects 1 --captions shape >/dev/null
[ -f "$W/held/truth.json" ] || cli world --out "$W/held" --n 300 --seed 999 --objects 1 >/dev/null
last_step() { ls -d "$1"/step-* 2>/dev/null | sed 's/.*step-//' | sort -n | tail -1 || true; }
# phase OUT STEPS INIT... -- TRAIN-ARGS...: resumes OUT's last checkpoint, or starts from INIT; done at STEPS.
phase() {
  local out=$1 steps=$2; shift 2
  local init=() last
  while [ "$1" != -- ]; do init+=("$1"); shift; done; shift
  last=$(last_step "$W/$out")
  [ "$last" = "$steps" ] && return 0
  if [ -n "$last" ]; then init=(--resume "$W/$out/step-$last"); fi
  cli train "${init[@]}" --steps "$steps" --out "$W/$out" --batch-size 64 --val-data "$W/held" \
    --adapter "$ADAPTER" --json "$@" >> "$W/$out.json" 2>> "$W/$out.log"
}
phase longA 12000 --config weights/shapes-clip/config.json -- --seed 0 --data "$W/shape38k/captions.csv" \
  --lr 5e-4 --warmup 100 --save-frequency 250 --val-frequency 500
scripts/shapes-worlds.sh "$W"
{ cat "$W/train.csv"; sed -n '2,12801s#^images/#shape38k/images/#p' "$W/shape38k/captions.csv"; } > "$W/mix.csv"
phase mixB 2000 --model "$W/longA/step-12000" -- --seed 0 --data "$W/mix.csv" --lr 1e-3 --warmup 100 \
  --save-frequency 200 --val-frequency 200
phase worldB 600 --model "$W/mixB/step-2000" -- --seed 2 --data "$W/train.csv" --lr 3e-4 --warmup 0 \
  --save-frequency 100 --val-frequency 100
