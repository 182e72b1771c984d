#!/usr/bin/env bash
# Reproduces weights/shapes-clip, the model that ships with the project, with the CLI alone: the three
# phases of scripts/train-shape-long.sh (shape first on 38,400 single-object scenes captioned "a {shape}",
# then colour with the shape rows kept, then the world's captions; numbers: weights/shapes-clip/README.md).
# By default it starts at phase 2 from the committed first phase, weights/shapes-clip-shape-only (about
# 35 min on llvmpipe, 2 cores); PHASE1_MODEL= (empty) trains phase 1 too (about 2 h more). It resumes
# where it stopped. The model is WORKDIR/worldB/step-600;
# INSTALL=1 copies its Hugging Face files (no optimizer state) over weights/shapes-clip/.
#   scripts/train-shapes-clip.sh [WORKDIR] [ADAPTER]        (defaults: /work/runs, gles)
# The held-out scenes of the meaning tests use other seeds (test/meaning/shipped-model.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-/work/runs}
ADAPTER=${2:-gles}
start=$(date +%s)
PHASE1_MODEL=${PHASE1_MODEL-weights/shapes-clip-shape-only} scripts/train-shape-long.sh "$W" "$ADAPTER"
echo "trained in $(( $(date +%s) - start )) s on $ADAPTER: $W/worldB/step-600"
if [ "${INSTALL:-0}" = 1 ]; then
  cp "$W"/worldB/step-600/{config.json,model.safetensors,vocab.json,merges.txt} weights/shapes-clip/
  echo "copied into weights/shapes-clip/"
fi
