#!/usr/bin/env bash
# The controlled bias experiment (issue 13, item 5), with the CLI alone: a world where triangles are
# mostly on dark backgrounds (world --spurious triangle:dark=0.9), a small CLIP trained on it from CLIP's
# init (train --config), and the world-backgrounds bias probe (paired dark/light scenes, equal shapes) on
# that model and on a control, printing the "triangle" rate on dark vs light with Wilson 95% intervals.
#   scripts/bias-experiment.sh [WORKDIR] [STEPS] [ADAPTER] [CONTROL]
#     WORKDIR  default a temp dir; a finished step is not redone (delete its folder to redo it)
#     STEPS    optimizer steps of the biased model (default 2000)
#     ADAPTER  default auto
#     CONTROL  a model folder (default weights/shapes-clip, the main model), or "train": a control trained
#              like the biased one on triangle:dark=0.5 (the same tones, independent of the shapes)
# The main model never saw the dark and light tones (its world uses the muted BACKGROUND_TONES): a model can
# react to unseen tones without any spurious correlation, so CONTROL=train (same tones, no correlation) is
# the cleaner control; the main model's table shows what the shipped model does on these tones.
# Environment: N (training scenes, default 20000), BATCH (64), LR (1e-3), WARMUP (100), SEED (0),
#   CONFIG (weights/shapes-clip/config.json), SPURIOUS (triangle:dark=0.9), PROBE_N (scenes per shape, 50).
set -euo pipefail
cd "$(dirname "$0")/.."
W=${1:-$(mktemp -d /tmp/bias-experiment-XXXX)}
STEPS=${2:-2000}
ADAPTER=${3:-auto}
CONTROL=${4:-weights/shapes-clip}
N=${N:-20000} BATCH=${BATCH:-64} LR=${LR:-1e-3} WARMUP=${WARMUP:-100} SEED=${SEED:-0}
CONFIG=${CONFIG:-weights/shapes-clip/config.json} SPURIOUS=${SPURIOUS:-triangle:dark=0.9} PROBE_N=${PROBE_N:-50}
SHAPE=${SPURIOUS%%:*}
OTHERS=$(echo circle square triangle cross star | tr ' ' '\n' | grep -vx "$SHAPE" | paste -sd, -)
cli() { node bin/clip-webgpu.mjs "$@"; }
mkdir -p "$W"

# A world with the spurious correlation, and a model trained on it.
train_on() { # NAME SPEC
  local name=$1 spec=$2
  [ -f "$W/$name-world/truth.json" ] || cli world --out "$W/$name-world" --n "$N" --seed 1 --spurious "$spec" --json |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s).spurious;
      console.log(`world ${j.spec}: ${JSON.stringify(j.tones)}`)})'
  if [ ! -f "$W/$name-run/step-$STEPS/model.safetensors" ]; then
    local start; start=$(date +%s)
    cli train --config "$CONFIG" --seed "$SEED" --data "$W/$name-world/captions.csv" --batch-size "$BATCH" \
      --steps "$STEPS" --lr "$LR" --warmup "$WARMUP" --out "$W/$name-run" --adapter "$ADAPTER" > "$W/$name-train.log"
    echo "trained $name: $STEPS steps of $BATCH in $(( $(date +%s) - start )) s on $ADAPTER"
  fi
}
train_on biased "$SPURIOUS"
if [ "$CONTROL" = train ]; then
  train_on control "${SPURIOUS%=*}=0.5"
  CONTROL="$W/control-run/step-$STEPS"
fi

# The probe: paired dark/light scenes without the spurious shape (its rate = false positives), then all shapes.
probe() { # MODEL SHAPES OUT
  cli bias --model "$1" --preset world-backgrounds --probe-n "$PROBE_N" --probe-shapes "$2" --adapter "$ADAPTER" --json > "$3"
}
report() { # TITLE JSON
  node -e '
const [title, file, shape] = process.argv.slice(1);
const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
const pct = (x) => (100 * x).toFixed(1).padStart(5) + "%";
const ci = ([lo, hi]) => `[${pct(lo)}, ${pct(hi)}]`;
console.log(`\n${title}`);
console.log("label      dark rate   95% CI             light rate  95% CI             intervals");
for (const label of r.labels) {
  const d = r.groups.dark, l = r.groups.light;
  const [dl, dh] = d.ci[label], [ll, lh] = l.ci[label];
  const overlap = dl <= lh && ll <= dh ? "overlap" : "disjoint";
  console.log(`${label.padEnd(10)} ${pct(d.rates[label])}      ${ci(d.ci[label])}  ${pct(l.rates[label])}      ${ci(l.ci[label])}  ${overlap}${label === shape ? "   <- the spurious shape" : ""}`);
}
console.log(`(n = ${r.groups.dark.n} dark, ${r.groups.light.n} light scenes; top-1 label, prompts "a {shape}")`);
' "$1" "$2" "$SHAPE"
}
for m in biased control; do
  model=$([ "$m" = biased ] && echo "$W/biased-run/step-$STEPS" || echo "$CONTROL")
  probe "$model" "$OTHERS" "$W/$m-probe-others.json"
  probe "$model" circle,square,triangle,cross,star "$W/$m-probe-all.json"
  report "$m model ($model): scenes without a $SHAPE" "$W/$m-probe-others.json"
  report "$m model ($model): every shape" "$W/$m-probe-all.json"
done
