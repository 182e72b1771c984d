#!/usr/bin/env bash
# Every table of the README and of the model card that is measured on the shipped model, for a model
# folder, with the CLI alone (JSON in OUTDIR, one file per table; a file already there is kept, so an
# interrupted run continues). Held-out seeds only, none of them in any training world:
#   zero-shot + linear probe + shifts: 300 single-object test scenes (seed 2026005), the probe fitted on
#     400 others (seed 2026006);
#   segmentation: 100 scenes of 1-3 objects (seed 2026004) and the same scenes under each shift,
#     every method, colour classes, unrefined and refined (PAMR's default 10 steps); shape classes clean;
#   explanations: the meaning tests' pairs (120 two-object scenes, seed 2026002) under each shift, and
#     refined by the world's 40 PAMR steps on the clean ones;
#   detection: the same pairs, every mode, unrefined and refined with the world's 40 steps.
#   scripts/measure-shipped.sh [MODEL] [OUTDIR] [ADAPTER]   (defaults: weights/shapes-clip, a temp dir, gles)
# About an hour on llvmpipe (2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-weights/shapes-clip}
W=${2:-$(mktemp -d /tmp/measure-shipped-XXXX)}
ADAPTER=${3:-gles}
SHIFTS=(none sketch noise blur rotation unseen-background texture)
cli() { node bin/clip-webgpu.mjs "$@"; }
mkdir -p "$W"
world() { [ -f "$W/$1/truth.json" ] || cli world --out "$W/$1" "${@:2}" >/dev/null; }
# json NAME ARGS...: eval --json into W/NAME.json unless it is there.
json() {
  [ -s "$W/$1.json" ] && return 0
  cli eval --model "$MODEL" --adapter "$ADAPTER" --json "${@:2}" > "$W/$1.json.part"
  mv "$W/$1.json.part" "$W/$1.json"
}
world test --n 300 --seed 2026005 --objects 1
world probe --n 400 --seed 2026006 --objects 1
for label in colour shape; do json "classify-$label" --data "$W/test" --label "$label" --probe "$W/probe" --shifts all; done
# The clean scenes first (the model card's tables), then each shift (the README's).
world seg-none --n 100 --seed 2026004 --shift none
world pairs-none --n 120 --seed 2026002 --objects 2 --shift none
json explain-none --task explain --data "$W/pairs-none"
json detect --task detect --data "$W/pairs-none" --refine-steps 40
json segment-shape-none --task segment --data "$W/seg-none" --classes shape --refine
json explain-refined --task explain --data "$W/pairs-none" --methods relevance,legrad,surgery,gradcam --refine-steps 40
for shift in "${SHIFTS[@]}"; do
  world "seg-$shift" --n 100 --seed 2026004 --shift "$shift"
  world "pairs-$shift" --n 120 --seed 2026002 --objects 2 --shift "$shift"
  json "segment-colour-$shift" --task segment --data "$W/seg-$shift" --classes colour --refine
  json "explain-$shift" --task explain --data "$W/pairs-$shift"
done
echo "$W"
