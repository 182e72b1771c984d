#!/usr/bin/env bash
# Shape first with three times the scenes (session 11; BENCHMARKS.md, "Shape first, three times the
# scenes"): phase 1 of the next shipped model. CLIP's init of the shipped config (seed 0), 38,400 fresh
# single-object scenes (seed 11) captioned "a {shape}" only, batch 64, lr 5e-4, warmup 100, cosine over
# 12,000 steps, a checkpoint every 250 steps, zero-shot validation every 500 (held/, seed 999; the
# results are in WORKDIR/long.json when the run ends). About 0.7-1 s a step on llvmpipe: run it again
# and it continues from its last checkpoint (--resume), so it can span sessions.
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
last=$(ls -d "$W"/longA/step-* 2>/dev/null | sed 's/.*step-//' | sort -n | tail -1 || true)
if [ -n "$last" ]; then from=(--resume "$W/longA/step-$last" --seed 0)
else from=(--config weights/shapes-clip/config.json --seed 0); fi
cli train "${from[@]}" --data "$W/shape38k/captions.csv" --batch-size 64 --steps 12000 --lr 5e-4 --warmup 100 \
  --out "$W/longA" --save-frequency 250 --val-data "$W/held" --val-frequency 500 --adapter "$ADAPTER" \
  --json >> "$W/long.json" 2>> "$W/long.log"
