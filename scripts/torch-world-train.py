#!/usr/bin/env python3
"""PyTorch's CLIP training on a world folder, from the same init as `clip-webgpu train`: the outside check
of a training recipe (is a failure ours, or the recipe's?) and a faster place to explore one on a CPU.

Same model (scripts/torch_clip.py: HF CLIPModel's math), loss, AdamW (CLIP's decay mask, betas 0.9/0.98,
eps 1e-6, logit scale clamped at ln 100), linear warmup then cosine or constant lr. Pixels as our
preprocessing gives them for a world at the model's size (uint8/255, CLIP's mean/std); token ids from
`clip-webgpu tokenize`. Every --val-frequency steps: zero-shot accuracy on a single-object world, shape
with "a {shape}" and colour with "a {colour} shape", as `train --val-data` scores it.

usage: /usr/bin/python3 scripts/torch-world-train.py --init DIR --data WORLD [--val WORLD] [--steps 600]
         [--lr 5e-4] [--batch-size 64] [--warmup 0] [--lr-scheduler cosine|const] [--lock-text] [--captions world|shape] [--seed 0]
  DIR: a model folder (random-model --init clip --config ...); WORLD: a `clip-webgpu world` folder.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from torch_clip import LOGIT_SCALE_MAX, Clip, adamw, load_weights  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), '..')
MEAN = np.array([0.48145466, 0.4578275, 0.40821073])
STD = np.array([0.26862954, 0.26130258, 0.27577711])
SHAPES = ['circle', 'square', 'triangle', 'cross', 'star']
COLOURS = ['red', 'green', 'blue', 'yellow', 'orange', 'purple', 'black', 'white']

ap = argparse.ArgumentParser()
ap.add_argument('--init', required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--val')
ap.add_argument('--steps', type=int, default=600)
ap.add_argument('--lr', type=float, default=5e-4)
ap.add_argument('--batch-size', type=int, default=64)
ap.add_argument('--warmup', type=int, default=0)
ap.add_argument('--lr-scheduler', choices=['cosine', 'const'], default='cosine')
ap.add_argument('--lock-text', action='store_true')
ap.add_argument('--val-frequency', type=int, default=100)
ap.add_argument('--seed', type=int, default=0)
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--captions', choices=['world', 'shape'], default='world',
                help='shape: every caption "a {shape}" of the first object (single-object worlds): shape is all there is to learn')
a = ap.parse_args()
torch.set_num_threads(a.threads)


def world(folder):
    scenes = json.load(open(os.path.join(folder, 'truth.json')))['scenes']
    pixels = np.stack([((np.asarray(Image.open(os.path.join(folder, s['file'])).convert('RGB'), dtype=np.float64) / 255
                         - MEAN) / STD).transpose(2, 0, 1) for s in scenes]).astype(np.float32)
    return torch.tensor(pixels), scenes


def tokenize(texts):
    out = subprocess.run(['node', os.path.join(ROOT, 'bin/clip-webgpu.mjs'), 'tokenize', '--json',
                          *[x for t in texts for x in ('--text', t)]], capture_output=True, check=True, text=True)
    rows = json.loads(out.stdout)['input_ids']
    return {t: r[: r.index(49407) + 1] for t, r in zip(texts, rows)}


X, scenes = world(a.data)
captions = [s['caption'] for s in scenes]
if a.captions == 'shape':
    captions = [f"a {s['objects'][0]['shape']}" for s in scenes]
prompts = [f'a {s}' for s in SHAPES] + [f'a {c} shape' for c in COLOURS]
ids = tokenize(sorted(set(captions)) + prompts)


def batch_ids(texts):
    rows = [ids[t] for t in texts]
    width = max(map(len, rows))
    return torch.tensor([r + [0] * (width - len(r)) for r in rows])


P, cfg = load_weights(a.init)
clip = Clip(P, cfg)
assert cfg['vision_config']['image_size'] == X.shape[-1], 'the world must be drawn at the model size (--size)'
text_params = lambda k: k.startswith('text_model.') or k == 'text_projection.weight'
opt = adamw([(k, p) for k, p in P.items() if not (a.lock_text and text_params(k))], a.lr)
val = world(a.val) if a.val else None


def zero_shot():
    VX, vs = val
    with torch.no_grad():
        I = clip.image(VX)
        I = I / I.norm(dim=-1, keepdim=True)
        acc = []
        for names, key, fmt in ((SHAPES, 'shape', 'a {}'), (COLOURS, 'colour', 'a {} shape')):
            T = clip.text(batch_ids([fmt.format(n) for n in names]))
            T = T / T.norm(dim=-1, keepdim=True)
            pred = (I @ T.t()).argmax(-1).tolist()
            acc.append(np.mean([names[p] == s['objects'][0][key] for p, s in zip(pred, vs)]))
    return acc


def lr_at(step):  # 1-based, as train's schedule
    if step <= a.warmup:
        return a.lr * step / a.warmup
    if a.lr_scheduler == 'const':
        return a.lr
    done = (step - a.warmup) / max(1, a.steps - a.warmup)
    return 0.5 * a.lr * (1 + math.cos(math.pi * done))


rng = np.random.default_rng(a.seed)
order, pos, total, started = rng.permutation(len(scenes)), 0, 0.0, time.time()
for step in range(1, a.steps + 1):
    if pos + a.batch_size > len(order):
        order, pos = rng.permutation(len(scenes)), 0
    rows = order[pos:pos + a.batch_size]
    pos += a.batch_size
    for group in opt.param_groups:
        group['lr'] = lr_at(step)
    L = clip.loss(X[rows], batch_ids([captions[i] for i in rows]))
    opt.zero_grad()
    L.backward()
    opt.step()
    with torch.no_grad():
        P['logit_scale'].clamp_(max=LOGIT_SCALE_MAX)
    total += L.item()
    if step % a.val_frequency == 0 or step == a.steps:
        n = (step - 1) % a.val_frequency + 1
        line = f'step {step} mean loss {total / n:.3f} lr {lr_at(step):.2e}'
        if val:
            shape, colour = zero_shot()
            line += f' zero-shot shape {shape:.3f} colour {colour:.3f}'
        print(f'{line} ({time.time() - started:.0f} s)', flush=True)
        total = 0.0
