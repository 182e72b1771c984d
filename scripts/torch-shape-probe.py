#!/usr/bin/env python3
"""Can the shipped config's vision tower learn shape at all, without the text tower and the contrastive
loss? Supervised: the tower (CLIP's init, scripts/torch_clip.py) and a 5-way linear head on its normalized
image embedding, cross-entropy on the first object's shape of a single-object world, AdamW as the trainer's;
every 50 steps, accuracy on a held-out world. Session 8's finding (BENCHMARKS.md, issue 13): on the full
world it stays at ln 5 = 1.609 for 250+ steps at lr 3e-4 and 1e-3 (with or without warmup), so the
contrastive recipe is not what keeps shape at chance; on plain backgrounds with large objects only it fits
its training scenes but does not carry over to the full world.

usage: /usr/bin/python3 scripts/torch-shape-probe.py --init DIR --data WORLD --val WORLD [--lr 1e-3]
         [--steps 400] [--warmup 0] [--only plain,large] [--batch-size 64] [--seed 0]
  DIR: a model folder (random-model --init clip --config ...); WORLD: `clip-webgpu world ... --objects 1`.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
from torch_clip import Clip, adamw, load_weights  # noqa: E402

MEAN = np.array([0.48145466, 0.4578275, 0.40821073])
STD = np.array([0.26862954, 0.26130258, 0.27577711])
SHAPES = ['circle', 'square', 'triangle', 'cross', 'star']

ap = argparse.ArgumentParser()
ap.add_argument('--init', required=True)
ap.add_argument('--data', required=True)
ap.add_argument('--val', required=True)
ap.add_argument('--lr', type=float, default=1e-3)
ap.add_argument('--steps', type=int, default=400)
ap.add_argument('--warmup', type=int, default=0)
ap.add_argument('--only', default='', help='keep training scenes with a plain background and/or a large object')
ap.add_argument('--batch-size', type=int, default=64)
ap.add_argument('--seed', type=int, default=0)
a = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(a.seed)


def world(folder, only=''):
    scenes = json.load(open(os.path.join(folder, 'truth.json')))['scenes']
    if 'plain' in only:
        scenes = [s for s in scenes if s['background']['kind'] == 'plain']
    if 'large' in only:
        scenes = [s for s in scenes if s['objects'][0]['size'] == 'large']
    pixels = np.stack([((np.asarray(Image.open(os.path.join(folder, s['file'])).convert('RGB'), dtype=np.float64) / 255
                         - MEAN) / STD).transpose(2, 0, 1) for s in scenes]).astype(np.float32)
    return torch.tensor(pixels), torch.tensor([SHAPES.index(s['objects'][0]['shape']) for s in scenes])


P, cfg = load_weights(a.init)
clip = Clip(P, cfg)
X, y = world(a.data, a.only)
VX, vy = world(a.val)
print(f'{len(y)} training scenes, {len(vy)} held out', flush=True)
head = torch.zeros(len(SHAPES), cfg['projection_dim'], requires_grad=True)
vision = [(k, p) for k, p in P.items() if k.startswith('vision_model') or k == 'visual_projection.weight']
opt = adamw(vision + [('head', head)], a.lr)
rng = np.random.default_rng(a.seed)
started = time.time()


def logits(pixels):
    emb = clip.image(pixels)
    return 10 * (emb / emb.norm(dim=-1, keepdim=True)) @ head.t()


for step in range(1, a.steps + 1):
    for group in opt.param_groups:
        group['lr'] = a.lr * min(1.0, step / a.warmup) if a.warmup else a.lr
    rows = rng.choice(len(y), a.batch_size, replace=False)
    loss = torch.nn.functional.cross_entropy(logits(X[rows]), y[rows])
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 50 == 0 or step == a.steps:
        with torch.no_grad():
            acc = (logits(VX).argmax(-1) == vy).float().mean().item()
        print(f'step {step} loss {loss.item():.3f} held-out shape {acc:.3f} ({time.time() - started:.0f} s)', flush=True)
