#!/usr/bin/env bash
# Trains the tiny config from CLIP's init (random-model --init clip) on a generated world and measures
# zero-shot colour and shape accuracy on held-out single-object scenes, with the CLI alone.
#   scripts/learn-world.sh [WORKDIR] [STEPS] [ADAPTER]      (defaults: a temp dir, 100, gles)
# Recorded results: BENCHMARKS.md, "Training from scratch".
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-$(mktemp -d /tmp/learn-world-XXXX)}
STEPS=${2:-100}
ADAPTER=${3:-gles}
cli() { node bin/clip-webgpu.mjs "$@"; }

cli random-model --preset tiny --init clip --seed 0 --out "$W/init" >/dev/null
cli world --out "$W/train" --n 1600 --seed 1 >/dev/null
cli world --out "$W/held-out" --n 200 --seed 999 --objects 1 >/dev/null
# Held-out scenes copied into class folders (eval's layout), by colour and by shape, from truth.json.
node -e '
const fs = require("fs"), path = require("path");
const dir = process.argv[1], truth = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8"));
for (const s of truth.scenes) for (const kind of ["colour", "shape"]) {
  const d = path.join(dir, "by-" + kind, s.objects[0][kind]);
  fs.mkdirSync(d, { recursive: true });
  fs.copyFileSync(path.join(dir, s.file), path.join(d, path.basename(s.file)));
}' "$W/held-out"

start=$(date +%s)
cli train --model "$W/init" --data "$W/train/captions.csv" --batch-size 64 --steps "$STEPS" --lr 1e-3 --warmup 10 \
  --seed 0 --out "$W/run" --adapter "$ADAPTER" --json > "$W/train.json"
echo "train: $STEPS steps of 64 in $(( $(date +%s) - start )) s on $ADAPTER"
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).steps;
const avg = (a) => (a.reduce((s, x) => s + x.loss, 0) / a.length).toFixed(3);
console.log(`loss: first 10 steps ${avg(r.slice(0, 10))}, last 10 ${avg(r.slice(-10))} (ln 64 = 4.159)`);' "$W/train.json"
for model in init "run/step-$STEPS"; do
  for kind in colour shape; do
    tpl='a {}'; [ "$kind" = colour ] && tpl='a {} shape'
    acc=$(cli eval --model "$W/$model" --data "$W/held-out/by-$kind" --template "$tpl" --adapter "$ADAPTER" --json |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log((100*JSON.parse(s).accuracy).toFixed(1)))')
    echo "$model: zero-shot $kind $acc% (\"$tpl\", 200 held-out scenes)"
  done
done
