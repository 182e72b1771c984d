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
import struct

import numpy as np
import torch

ap = argparse.ArgumentParser()
ap.add_argument('--fixture', default=os.path.join(os.path.dirname(__file__), '../../shared/fixtures/tiny-clip'))
F = ap.parse_args().fixture
cfg = json.load(open(os.path.join(F, 'config.json')))
g = json.load(open(os.path.join(F, 'golden_train.json')))
raw = open(os.path.join(F, 'model.safetensors'), 'rb').read()
n = struct.unpack('<Q', raw[:8])[0]
header = json.loads(raw[8:8 + n])
WEIGHTS = {}
for name, t in header.items():
    if name != '__metadata__' and t['dtype'] == 'F32':
        a, b = t['data_offsets']
        WEIGHTS[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np.float32).reshape(t['shape'])
PIXELS = np.array(json.load(open(os.path.join(F, 'pixel_values.json')))['pixel_values'], dtype=np.float32)
IDS = torch.tensor(g['batch']['input_ids'])
EPS = cfg['vision_config']['layer_norm_eps']


def run(dtype, threads, order):
    torch.set_num_threads(threads)
    P = {k: torch.tensor(v.copy(), dtype=dtype, requires_grad=True) for k, v in WEIGHTS.items()}
    px = torch.tensor(PIXELS, dtype=dtype)[list(order)]
    ids = IDS[list(order)]

    def ln(x, pre):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], P[pre + '.weight'], P[pre + '.bias'], EPS)

    def lin(x, pre, bias=True):
        return torch.nn.functional.linear(x, P[pre + '.weight'], P[pre + '.bias'] if bias else None)

    def layer(x, pre, heads, causal):
        B, T, D = x.shape
        hd = D // heads
        h = ln(x, pre + '.layer_norm1')
        q = lin(h, pre + '.self_attn.q_proj') * hd ** -0.5
        k = lin(h, pre + '.self_attn.k_proj')
        v = lin(h, pre + '.self_attn.v_proj')
        split = lambda t: t.view(B, T, heads, hd).transpose(1, 2)
        s = split(q) @ split(k).transpose(-1, -2)
        if causal:
            s = s + torch.triu(torch.full((T, T), float('-inf'), dtype=dtype), 1)
        a = (s.softmax(-1) @ split(v)).transpose(1, 2).reshape(B, T, D)
        x = x + lin(a, pre + '.self_attn.out_proj')
        h = lin(ln(x, pre + '.layer_norm2'), pre + '.mlp.fc1')
        return x + lin(h * torch.sigmoid(1.702 * h), pre + '.mlp.fc2')

    def loss():
        vc, tc = cfg['vision_config'], cfg['text_config']
        x = torch.nn.functional.conv2d(px, P['vision_model.embeddings.patch_embedding.weight'], stride=vc['patch_size'])
        x = x.flatten(2).transpose(1, 2)
        cls = P['vision_model.embeddings.class_embedding'].expand(x.shape[0], 1, -1)
        x = ln(torch.cat([cls, x], 1) + P['vision_model.embeddings.position_embedding.weight'], 'vision_model.pre_layrnorm')
        for i in range(vc['num_hidden_layers']):
            x = layer(x, f'vision_model.encoder.layers.{i}', vc['num_attention_heads'], False)
        image = lin(ln(x[:, 0], 'vision_model.post_layernorm'), 'visual_projection', False)
        t = P['text_model.embeddings.token_embedding.weight'][ids] + P['text_model.embeddings.position_embedding.weight'][: ids.shape[1]]
        for i in range(tc['num_hidden_layers']):
            t = layer(t, f'text_model.encoder.layers.{i}', tc['num_attention_heads'], True)
        t = ln(t, 'text_model.final_layer_norm')
        text = lin(t[torch.arange(len(order)), ids.argmax(-1)], 'text_projection', False)  # eos_token_id 2: argmax
        I = image / image.norm(dim=-1, keepdim=True)
        T = text / text.norm(dim=-1, keepdim=True)
        logits = P['logit_scale'].exp() * I @ T.t()
        labels = torch.arange(len(order))
        return (torch.nn.functional.cross_entropy(logits, labels) + torch.nn.functional.cross_entropy(logits.t(), labels)) / 2

    o = g['optimizer']
    decayed = set(o['decay'])
    opt = torch.optim.AdamW(
        [{'params': [P[k] for k in P if k in decayed], 'weight_decay': o['weight_decay']},
         {'params': [P[k] for k in P if k not in decayed], 'weight_decay': 0.0}],
        lr=o['lr'], betas=tuple(o['betas']), eps=o['eps'])
    losses = []
    for _ in range(2):
        opt.zero_grad()
        L = loss()
        losses.append(L.item())
        L.backward()
        opt.step()
        with torch.no_grad():
            P['logit_scale'].clamp_(max=o['logit_scale_max'])
    with torch.no_grad():
        losses.append(loss().item())
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
