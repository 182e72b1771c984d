"""A functional CLIP in PyTorch with Hugging Face CLIPModel's semantics, for the scripts that check our
trainer against PyTorch (torch-loss-spread.py, torch-world-train.py). Needs Debian's python3-torch and
numpy only: weights come straight from model.safetensors, no transformers."""
import json
import os
import struct

import numpy as np
import torch


def load_weights(folder, dtype=torch.float32):
    """Every F32 tensor of FOLDER/model.safetensors as a leaf tensor that requires grad, and the config."""
    raw = open(os.path.join(folder, 'model.safetensors'), 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    P = {}
    for name, t in header.items():
        if name != '__metadata__' and t['dtype'] == 'F32':
            a, b = t['data_offsets']
            data = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=np.float32).reshape(t['shape']).copy()
            P[name] = torch.tensor(data, dtype=dtype, requires_grad=True)
    return P, json.load(open(os.path.join(folder, 'config.json')))


class Clip:
    def __init__(self, P, cfg):
        self.P, self.cfg = P, cfg
        self.eps = cfg['vision_config'].get('layer_norm_eps', 1e-5)

    def ln(self, x, pre):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.P[pre + '.weight'], self.P[pre + '.bias'], self.eps)

    def lin(self, x, pre, bias=True):
        return torch.nn.functional.linear(x, self.P[pre + '.weight'], self.P[pre + '.bias'] if bias else None)

    def layer(self, x, pre, heads, causal):
        B, T, D = x.shape
        hd = D // heads
        h = self.ln(x, pre + '.layer_norm1')
        q = self.lin(h, pre + '.self_attn.q_proj') * hd ** -0.5
        k = self.lin(h, pre + '.self_attn.k_proj')
        v = self.lin(h, pre + '.self_attn.v_proj')
        split = lambda t: t.view(B, T, heads, hd).transpose(1, 2)
        s = split(q) @ split(k).transpose(-1, -2)
        if causal:
            s = s + torch.triu(torch.full((T, T), float('-inf'), dtype=s.dtype), 1)
        a = (s.softmax(-1) @ split(v)).transpose(1, 2).reshape(B, T, D)
        x = x + self.lin(a, pre + '.self_attn.out_proj')
        h = self.lin(self.ln(x, pre + '.layer_norm2'), pre + '.mlp.fc1')
        return x + self.lin(h * torch.sigmoid(1.702 * h), pre + '.mlp.fc2')  # quick_gelu

    def image(self, pixels):  # [B, 3, S, S] normalized -> [B, projection]
        vc, P = self.cfg['vision_config'], self.P
        x = torch.nn.functional.conv2d(pixels, P['vision_model.embeddings.patch_embedding.weight'], stride=vc['patch_size'])
        x = x.flatten(2).transpose(1, 2)
        cls = P['vision_model.embeddings.class_embedding'].expand(x.shape[0], 1, -1)
        x = self.ln(torch.cat([cls, x], 1) + P['vision_model.embeddings.position_embedding.weight'], 'vision_model.pre_layrnorm')
        for i in range(vc['num_hidden_layers']):
            x = self.layer(x, f'vision_model.encoder.layers.{i}', vc['num_attention_heads'], False)
        return self.lin(self.ln(x[:, 0], 'vision_model.post_layernorm'), 'visual_projection', False)

    def text(self, ids):  # [B, T] token ids (end token 49407 the largest id: pooled by argmax) -> [B, projection]
        tc, P = self.cfg['text_config'], self.P
        t = P['text_model.embeddings.token_embedding.weight'][ids] + P['text_model.embeddings.position_embedding.weight'][: ids.shape[1]]
        for i in range(tc['num_hidden_layers']):
            t = self.layer(t, f'text_model.encoder.layers.{i}', tc['num_attention_heads'], True)
        t = self.ln(t, 'text_model.final_layer_norm')
        return self.lin(t[torch.arange(ids.shape[0]), ids.argmax(-1)], 'text_projection', False)

    def loss(self, pixels, ids):
        """CLIP's symmetric contrastive loss: image i belongs with caption i."""
        I = self.image(pixels)
        T = self.text(ids)
        I = I / I.norm(dim=-1, keepdim=True)
        T = T / T.norm(dim=-1, keepdim=True)
        logits = self.P['logit_scale'].exp() * I @ T.t()
        labels = torch.arange(len(ids))
        ce = torch.nn.functional.cross_entropy
        return (ce(logits, labels) + ce(logits.t(), labels)) / 2


def is_decayed(name, t):
    """CLIP's weight-decay mask (../shared/README.md): matrices, not the token/position/class embeddings."""
    return t.dim() >= 2 and not any(e in name for e in ('token_embedding', 'position_embedding', 'class_embedding'))


def adamw(named, lr, weight_decay=0.2, betas=(0.9, 0.98), eps=1e-6):
    named = list(named)
    return torch.optim.AdamW(
        [{'params': [p for k, p in named if is_decayed(k, p)], 'weight_decay': weight_decay},
         {'params': [p for k, p in named if not is_decayed(k, p)], 'weight_decay': 0.0}],
        lr=lr, betas=betas, eps=eps)


LOGIT_SCALE_MAX = float(np.log(100))
