#!/usr/bin/env python3
"""PyTorch's own float32 against golden_train.json's float64 loss after two AdamW steps (loss[2]).

A functional CLIP (Hugging Face semantics) on the tiny fixture, the golden's batch in each of its 24
orders, with 1 and 2 intra-op threads: only the order of float32 sums changes. Prints each run's
relative errors of loss[0..2] and the spread of loss[2]. Also checks itself: in float64 it reproduces
the golden's three losses. Needs Debian's python3-torch (and numpy); no transformers.

usage: /usr/bin/python3 scripts/torch-loss-spread.py [--fixture ../shared/fixtures/tiny-clip]
"""
import argparse
import itertools
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from torch_clip import Clip, adamw, is_decayed, load_weights  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument('--fixture', default=os.path.join(os.path.dirname(__file__), '../../shared/fixtures/tiny-clip'))
F = ap.parse_args().fixture
g = json.load(open(os.path.join(F, 'golden_train.json')))
PIXELS = np.array(json.load(open(os.path.join(F, 'pixel_values.json')))['pixel_values'], dtype=np.float32)
IDS = torch.tensor(g['batch']['input_ids'])


def run(dtype, threads, order):
    torch.set_num_threads(threads)
    P, cfg = load_weights(F, dtype)
    clip = Clip(P, cfg)
    px = torch.tensor(PIXELS, dtype=dtype)[list(order)]
    ids = IDS[list(order)]
    o = g['optimizer']
    assert sorted(k for k, p in P.items() if is_decayed(k, p)) == sorted(o['decay']), 'decay mask differs'
    opt = adamw(P.items(), o['lr'], o['weight_decay'], tuple(o['betas']), o['eps'])
    losses = []
    for _ in range(2):
        opt.zero_grad()
        L = clip.loss(px, ids)
        losses.append(L.item())
        L.backward()
        opt.step()
        with torch.no_grad():
            P['logit_scale'].clamp_(max=o['logit_scale_max'])
    with torch.no_grad():
        losses.append(clip.loss(px, ids).item())
    return [(l - w) / w for l, w in zip(losses, g['loss'])]


check = run(torch.float64, 1, (0, 1, 2, 3))
print(f'float64 vs the golden: loss rel {" ".join(f"{e:.1e}" for e in check)}')
assert max(abs(e) for e in check) < 1e-7, 'the functional model does not reproduce the golden in float64'
errors = []
for threads in (1, 2):
    for order in itertools.permutations(range(4)):
        e = run(torch.float32, threads, order)
        errors.append(e[2])
        print(f'torch {torch.__version__} float32, {threads} thread(s), order {"".join(map(str, order))}: '
              f'loss rel {" ".join(f"{x:.2e}" for x in e)}')
a = sorted(abs(e) for e in errors)
print(f'PyTorch float32: |loss[2] rel| over {len(a)} runs: median {a[len(a) // 2]:.2e}, max {a[-1]:.2e}, '
      f'over 1e-5: {sum(x > 1e-5 for x in a)}, positive: {sum(e > 0 for e in errors)}')
