#!/usr/bin/env bash
# Shape first with three times the scenes (sessions 11-13; BENCHMARKS.md, "Shape first, three times the
# scenes" and "Phase 1 in two parts"): the successor of weights/shapes-clip, in four resumable phases.
# Phase 1: CLIP's init of the shipped config (seed 0), 38,400 fresh single-object scenes (seed 11)
# captioned "a {shape}" only, batch 64, lr 5e-4, warmup 100, cosine over 6,000 steps (longA/), then a
# warm restart from its end (fresh optimizer, seed 1, lr 5e-4, warmup 100, cosine over 4,000; longA2/).
# Its end is committed as weights/shapes-clip-shape-only: with PHASE1_MODEL=weights/shapes-clip-shape-only
# the script starts from it at phase 2 (about 35 min instead of 2 h 30 min on llvmpipe).
# Phase 2: the world's captions of the shipped model's two worlds (scripts/shapes-worlds.sh) plus 12,800
# of phase 1's rows, 2,000 steps at lr 1e-3, warmup 100 (mixB/): colour, which phase 1 never saw, while
# the shape rows keep shape (at lr 3e-4 colour crawled: 25% after 600 steps). Phase 3: the world's
# captions alone, 600 steps at lr 3e-4, no warmup (worldB/), for the last points of colour.
# The model is WORKDIR/worldB/step-600 (weights/shapes-clip since session 14). Session 12's candidate
# came from one phase 1 of 12,000 steps (cosine over 12,000; 99.0% validation shape; held out shape 96.8%,
# colour 98.8%): PHASE1_STEPS=12000 PHASE1B_STEPS=0 runs that recipe.
# About 0.7 s a step on llvmpipe: run it again and it continues from the last checkpoint of the
# phase it stopped in (--resume), so it can be stopped and restarted.
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
P1=${PHASE1_STEPS:-6000}
P1B=${PHASE1B_STEPS:-4000}
START=${PHASE1_MODEL:-}
if [ -z "$START" ]; then
  phase longA "$P1" --config weights/shapes-clip/config.json -- --seed 0 --data "$W/shape38k/captions.csv" \
    --lr 5e-4 --warmup 100 --save-frequency 250 --val-frequency 1000
  START=$W/longA/step-$P1
  if [ "$P1B" != 0 ]; then
    phase longA2 "$P1B" --model "$START" -- --seed 1 --data "$W/shape38k/captions.csv" --lr 5e-4 --warmup 100 \
      --save-frequency 250 --val-frequency 500
    START=$W/longA2/step-$P1B
  fi
fi
scripts/shapes-worlds.sh "$W"
{ cat "$W/train.csv"; sed -n '2,12801s#^images/#shape38k/images/#p' "$W/shape38k/captions.csv"; } > "$W/mix.csv"
phase mixB 2000 --model "$START" -- --seed 0 --data "$W/mix.csv" --lr 1e-3 --warmup 100 \
  --save-frequency 200 --val-frequency 200
phase worldB 600 --model "$W/mixB/step-2000" -- --seed 2 --data "$W/train.csv" --lr 3e-4 --warmup 0 \
  --save-frequency 100 --val-frequency 100
