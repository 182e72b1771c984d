#!/usr/bin/env bash
# Peak GPU memory of training B/32 shapes at batch 32: one step from a random ViT-B/32 with CLIP's init
# (random-model --preset ViT-B/32 --init clip), with and without --accum-freq 4, as `train --json` reports
# it (peak_gpu_bytes: the high-water mark of live GPU buffer bytes: weights, gradients, AdamW moments,
# pooled activations). Slow on a CPU adapter (minutes per step).
#   scripts/train-memory.sh [WORKDIR] [ADAPTER] [BATCH]      (defaults: a temp dir, auto, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-$(mktemp -d /tmp/train-memory-XXXX)}
ADAPTER=${2:-auto}
BATCH=${3:-32}
cli() { node bin/clip-webgpu.mjs "$@"; }

[ -f "$W/b32/model.safetensors" ] || cli random-model --preset ViT-B/32 --init clip --seed 0 --out "$W/b32" >/dev/null
[ -f "$W/world/captions.csv" ] || cli world --out "$W/world" --n "$BATCH" --seed 1 --size 224 >/dev/null
echo "ViT-B/32 (random, CLIP init), batch $BATCH, one step, adapter $ADAPTER"
for accum in 1 4; do
  start=$(date +%s)
  cli train --model "$W/b32" --data "$W/world/captions.csv" --batch-size "$BATCH" --accum-freq "$accum" --steps 1 \
    --adapter "$ADAPTER" --json > "$W/accum-$accum.json"
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log(`--accum-freq ${process.argv[2]}: peak GPU memory ${(r.peak_gpu_bytes / 2 ** 20).toFixed(1)} MiB` +
  ` (${r.peak_gpu_bytes} bytes), loss ${r.steps[0].loss.toFixed(4)}, ${process.argv[3]} s`);' \
    "$W/accum-$accum.json" "$accum" "$(( $(date +%s) - start ))"
done
