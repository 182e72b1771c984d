#!/usr/bin/env python3
"""PyTorch's PAMR (Araslanov & Roth 2020, as SCLIP applies it) on small seeded inputs: the golden
test/fixtures/pamr-golden.json that src/kernels/pamr/reference.ts and the WGSL kernels are checked
against (test/kernels/pamr.test.ts). Written from the paper's definition with torch ops: replicate
padding, a 3x3 kernel per dilation, unbiased std over the 9 x |dilations| values, softmax over the
neighbours. Debian's python3-torch:  /usr/bin/python3 scripts/torch-pamr.py"""
import json
import os

import torch
import torch.nn.functional as F


def shifts(x, dilations, with_centre):
    """x [B, K, H, W] -> [B, K, P, H, W]: the 3x3 neighbours (centre optional) at every dilation."""
    B, K, H, W = x.shape
    out = []
    for d in dilations:
        xp = F.pad(x, [d, d, d, d], mode="replicate")
        for i in range(3):
            for j in range(3):
                if i == 1 and j == 1 and not with_centre:
                    continue
                out.append(xp[:, :, i * d : i * d + H, j * d : j * d + W])
    return torch.stack(out, 2)


def pamr(image, mask, iterations, dilations):
    x = image
    std = shifts(x, dilations, True).std(2, keepdim=True)  # [B, K, 1, H, W]
    aff = -(x.unsqueeze(2) - shifts(x, dilations, False)).abs() / (1e-8 + 0.1 * std)
    aff = F.softmax(aff.mean(1, keepdim=True), 2)  # [B, 1, P, H, W]
    for _ in range(iterations):
        mask = (shifts(mask, dilations, False) * aff).sum(2)
    return mask


def case(seed, K, C, H, W, iterations, dilations):
    g = torch.Generator().manual_seed(seed)
    image = torch.rand(1, K, H, W, generator=g, dtype=torch.float64)
    image[:, :, H // 3 : H // 2 + 2, W // 4 : W // 2 + 3] += 1.5  # an object with edges
    mask = torch.randn(1, C, H, W, generator=g, dtype=torch.float64)
    out = pamr(image, mask, iterations, dilations)
    return {
        "K": K, "C": C, "H": H, "W": W, "iterations": iterations, "dilations": dilations,
        "image": image.flatten().tolist(), "mask": mask.flatten().tolist(), "out": out.flatten().tolist(),
    }


if __name__ == "__main__":
    cases = [case(1, 3, 2, 11, 14, 4, [1, 2, 5]), case(2, 3, 3, 20, 24, 10, [1, 2, 4, 8, 12, 24]), case(3, 1, 1, 7, 5, 2, [1])]
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "pamr-golden.json")
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
    print(f"wrote {path}: {len(cases)} cases, torch {torch.__version__}")
