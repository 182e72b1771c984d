#!/usr/bin/env bash
# The world's captioned training data in WORKDIR (kept if already there), for train-shapes-clip-colour.sh,
# train-shape-first.sh and train-shape-long.sh: mixed/ (12,800 scenes of 1-3 objects, seed 1), single/
# (12,800 single-object scenes, seed 3), held/ (300 single-object validation scenes, seed 999) and
# train.csv, one open_clip CSV over mixed/ and single/ with the world's own captions.
#   scripts/shapes-worlds.sh WORKDIR
set -euo pipefail
cd "$(dirname "$0")/.."
W=$1
cli() { node bin/clip-webgpu.mjs "$@"; }
mkdir -p "$W"
[ -f "$W/mixed/truth.json" ] || cli world --out "$W/mixed" --n 12800 --seed 1 >/dev/null
[ -f "$W/single/truth.json" ] || cli world --out "$W/single" --n 12800 --seed 3 --objects 1 >/dev/null
[ -f "$W/held/truth.json" ] || cli world --out "$W/held" --n 300 --seed 999 --objects 1 >/dev/null
{ head -n 1 "$W/mixed/captions.csv"
  tail -n +2 "$W/mixed/captions.csv" | sed 's#^images/#mixed/images/#'
  tail -n +2 "$W/single/captions.csv" | sed 's#^images/#single/images/#'; } > "$W/train.csv"
