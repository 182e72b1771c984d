#!/usr/bin/env bash
# The candidate successor of weights/shapes-clip (session 9; not shipped yet: BENCHMARKS.md, "Shape first"),
# with the CLI alone: the shipped model's two worlds (12,800 scenes of 1-3 objects, seed 1; 12,800
# single-object scenes, seed 3; phase 1's captions from `world --captions shape`, the rows session 9 used)
# and CLIP's init of its config (seed 0), trained by `clip-webgpu train` in phases:
#   1. shape first: the single-object scenes captioned "a {shape}" only, 2,000 steps at lr 5e-4. With the
#      world's own captions colour explains the batch and shape stays at chance for 1,500+ steps at lr 3e-4
#      (and collapses the text tower at 1.5e-3); alone, shape leaves chance within 500 steps.
#   2. everything: the world's captions of both worlds plus the shape-only rows (38,400 rows), 600 steps at
#      lr 3e-4 (one epoch), then 3. 600 more from there in another order (seed 1), for colour;
#   4. the world's captions alone (train.csv), 600 steps at lr 3e-4 (seed 2): colour back to 99%, shape kept.
#   scripts/train-shape-first.sh [WORKDIR] [ADAPTER]        (defaults: a temp dir, gles; about 1 h 20 min on llvmpipe)
# The held-out scenes of the meaning tests use other seeds (test/meaning/shipped-model.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-$(mktemp -d /tmp/shape-first-XXXX)}
ADAPTER=${2:-gles}
SHAPE_STEPS=${SHAPE_STEPS:-2000}
STEPS=${STEPS:-600}
cli() { node bin/clip-webgpu.mjs "$@"; }
scripts/shapes-worlds.sh "$W"
# Phase 1's captions: "a {shape}" for each single-object scene (the same pixels as single/, by the same seed).
[ -f "$W/single-shape/truth.json" ] || cli world --out "$W/single-shape" --n 12800 --seed 3 --objects 1 --captions shape >/dev/null
{ head -n 1 "$W/single-shape/captions.csv"
  tail -n +2 "$W/single-shape/captions.csv" | sed 's#^images/#single-shape/images/#'; } > "$W/shape.csv"
{ cat "$W/train.csv"; tail -n +2 "$W/shape.csv"; } > "$W/all.csv"
start=$(date +%s)
cli train --config weights/shapes-clip/config.json --seed 0 --data "$W/shape.csv" --batch-size 64 \
  --steps "$SHAPE_STEPS" --lr 5e-4 --warmup 100 --out "$W/shape-first" --save-frequency 250 \
  --val-data "$W/held" --val-frequency 250 --adapter "$ADAPTER" --json > "$W/shape-first.json"
# Phases 2-4 each continue from the last checkpoint of the one before: FROM SEED DATA WARMUP OUT.
continue_from() {
  cli train --model "$1" --seed "$2" --data "$3" --warmup "$4" --out "$5" --batch-size 64 --steps "$STEPS" \
    --lr 3e-4 --save-frequency 100 --val-data "$W/held" --val-frequency 100 --adapter "$ADAPTER" --json > "$5.json"
}
continue_from "$W/shape-first/step-$SHAPE_STEPS" 0 "$W/all.csv" 50 "$W/run"
continue_from "$W/run/step-$STEPS" 1 "$W/all.csv" 0 "$W/run3"
continue_from "$W/run3/step-$STEPS" 2 "$W/train.csv" 0 "$W/run4"
echo "trained $SHAPE_STEPS + 3 x $STEPS steps of 64 in $(( $(date +%s) - start )) s on $ADAPTER: $W/run4/step-$STEPS"
