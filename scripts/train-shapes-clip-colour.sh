#!/usr/bin/env bash
# Reproduces weights/shapes-clip-colour (the shipped model until session 14; it knows colours, not shapes)
# with the CLI alone:
# two worlds (12,800 scenes of 1-3 objects, seed 1; 12,800 single-object scenes, seed 3), one CSV over
# both, CLIP's init of the config (seed 0), and `clip-webgpu train` (numbers: weights/shapes-clip-colour/README.md).
#   scripts/train-shapes-clip-colour.sh [WORKDIR] [ADAPTER]        (defaults: a temp dir, gles)
# The held-out scenes of the meaning tests use other seeds (test/meaning/shipped-model.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-$(mktemp -d /tmp/shapes-clip-XXXX)}
ADAPTER=${2:-gles}
STEPS=${STEPS:-600}
cli() { node bin/clip-webgpu.mjs "$@"; }
scripts/shapes-worlds.sh "$W"
start=$(date +%s)
cli train --config weights/shapes-clip/config.json --seed 0 --data "$W/train.csv" --batch-size 64 --steps "$STEPS" \
  --lr 1.5e-3 --warmup 40 --out "$W/run" --save-frequency 50 --val-data "$W/held" --val-frequency 50 \
  --adapter "$ADAPTER" --json > "$W/train.json"
echo "trained $STEPS steps of 64 in $(( $(date +%s) - start )) s on $ADAPTER: $W/run/step-$STEPS"
