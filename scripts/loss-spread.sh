#!/usr/bin/env bash
# The fp32 noise floor of golden_train.json's loss after two AdamW steps (loss[2], stated tolerance 1e-5
# relative): PyTorch's own float32 and our trainer on each CPU adapter, over the 24 orders of the golden's
# batch. Recorded results: test/train/trainer.test.ts's header and BENCHMARKS.md ("Training").
#   scripts/loss-spread.sh            (needs Debian's python3-torch for the PyTorch half)
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 scripts/torch-loss-spread.py | tail -1
npx vitest run --config scripts/measure/vitest.config.ts loss-spread 2>&1 | grep -a 'over 24 orders'
