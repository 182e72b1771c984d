#!/usr/bin/env bash
# The Node benchmark on a machine with a real GPU (Dawn on Vulkan), as run through the device tool
# for BENCHMARKS.md. That machine has no Node and no network, so everything travels in `.devpack/`
# (git-ignored): pack.tar.xz (a Node binary + the runtime node_modules: webgpu's linux-x64 Dawn,
# onnxruntime-web's node and webgpu builds, pngjs, jpeg-js, wgpu-matrix), export_onnx.py and the
# tokenizer files of ../shared/fixtures/tiny-clip; `dist/cli` is the CLI bundle built here
# (`npm run build:cli`); `.gl/` holds Debian's Vulkan loader (see the device tool's README).
#
#   bench/gpu-run.sh [SHAPES] [IMAGE_BATCH] [TEXT_BATCH] [SAMPLES]     (env: ADAPTER, PRESET, PYTHON, OUT, BASELINE_KERNELS)
#
# Writes bench.json, log.txt (and bench-baseline-kernels.json with BASELINE_KERNELS) to $OUT (or ./gpu-out).
set -uo pipefail
SHAPES=${1:-b32-vision-b1,b32-vision-b8,b32-vision-b32,b32-text-b1,b32-text-b80,b16-vision-b1,l14-vision-b1}
IMAGE_BATCH=${2:-32}
TEXT_BATCH=${3:-80}
SAMPLES=${4:-5}
ADAPTER=${ADAPTER:-system}   # gles / swiftshader to try the script on a machine without a GPU
PRESET=${PRESET:-ViT-B/32}
OUT=${OUT:-$PWD/gpu-out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1

step() { echo "== $(date +%T) $*"; }
step "unpack"
PACK=/tmp/clip-pack
mkdir -p $PACK && tar xJf .devpack/pack.tar.xz -C $PACK || exit 1
ln -sfn $PACK/node_modules node_modules
export PATH=$PACK:$PATH
node --version
if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
[ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ] && export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader || true

cli() { node --input-type=module -e "const m = await import('$PWD/dist/cli/clip-webgpu.mjs'); process.exitCode = await m.main(process.argv.slice(1));" -- "$@"; }

step "random $PRESET weights (seed 1) and their ONNX export"
M=/tmp/random-model
cli random-model --preset "$PRESET" --seed 1 --out $M --tokenizer .devpack || exit 1
${PYTHON:-python3} .devpack/export_onnx.py $M $M-onnx || echo "ONNX export failed: no peer"

step "bench"
PEER=(); [ -f $M-onnx/onnx/text_model.onnx ] && PEER=(--peer $M-onnx)
CLIP_WEBGPU_ADAPTER=$ADAPTER cli bench --adapter $ADAPTER --model $M "${PEER[@]}" --providers webgpu \
  --shapes "$SHAPES" --samples "$SAMPLES" --image-batch "$IMAGE_BATCH" --text-batch "$TEXT_BATCH" --json --verbose > "$OUT/bench.json"
echo "bench exit $?"
if [ -n "${BASELINE_KERNELS:-}" ]; then
  step "end to end again with the earlier kernel versions forced: CLIP_KERNELS=$BASELINE_KERNELS"
  CLIP_KERNELS=$BASELINE_KERNELS CLIP_WEBGPU_ADAPTER=$ADAPTER cli bench --adapter $ADAPTER --model $M --shapes none \
    --samples "$SAMPLES" --image-batch "$IMAGE_BATCH" --text-batch "$TEXT_BATCH" --json > "$OUT/bench-baseline-kernels.json"
  echo "baseline exit $?"
fi
step "done"
