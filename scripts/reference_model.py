#!/usr/bin/env python3
"""PyTorch reference of the GRPO Playground policy: loads a checkpoint (config.json + model.safetensors, see
docs/checkpoint.md) and reproduces the engine's logits, so work can continue in PyTorch. Also the source of the
golden fixtures the TypeScript tests compare against (scripts/make_fixtures.py).

Usage: python3 scripts/reference_model.py CHECKPOINT_DIR "text"   -> prints the logits as JSON

Needs only torch (no safetensors package): the container is parsed here.
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


def read_safetensors(path):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        assert e['dtype'] == 'F32', f'{name}: only F32 is supported'
        a, b = e['data_offsets']
        t = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32)
        out[name] = t.reshape(e['shape']).clone()
    return out


def write_safetensors(path, tensors, metadata=None):
    header = {'__metadata__': metadata or {}}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    js = json.dumps(header).encode()
    js += b' ' * ((8 - (8 + len(js)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(js)) + js + b''.join(blobs))


# ---- counter RNG, bit-identical to src/engine/rng.ts (used by stochastic activations) -------------------------
M32 = 0xFFFFFFFF


def hash32(x):
    x = x & M32
    x = x ^ (x >> 16)
    x = (x * 0x7FEB352D) & M32
    x = x ^ (x >> 15)
    x = (x * 0x846CA68B) & M32
    x = x ^ (x >> 16)
    return x


def uniform_at(seed, stream, counter):
    """Elementwise over int64 tensors holding u32 values."""
    h = hash32(seed ^ 0x9E3779B9)
    h = hash32(h ^ stream)
    h = hash32(h ^ counter)
    return (h >> 8).to(torch.float64) / 16777216.0


# ---- model ------------------------------------------------------------------------------------------------------
def rmsnorm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope(x, pos, theta):
    """x [B,T,H,D], pos [B,T]: rotate pairs (2i, 2i+1) by pos * theta^(-2i/D)."""
    D = x.shape[-1]
    inv = theta ** (-torch.arange(0, D, 2, dtype=torch.float64) / D)
    ang = (pos.to(torch.float64)[..., None] * inv).to(torch.float32)[:, :, None, :]
    c, s = torch.cos(ang), torch.sin(ang)
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x0 * c - x1 * s
    out[..., 1::2] = x0 * s + x1 * c
    return out


def kq_conv(m, kernel, pad_key):
    """Depthwise key-query convolution over [B,H,T,S]; the query axis is padded only with past rows."""
    cq, ck = kernel.shape[1], kernel.shape[2]
    left, right = {'both': ((ck - 1) // 2, (ck - 1) // 2), 'left': (ck - 1, 0), 'right': (0, ck - 1)}[pad_key]
    return F.conv2d(F.pad(m, (left, right, cq - 1, 0)), kernel[:, None], groups=m.shape[1])


def activation(x, kind, cfg, layer, seeds, pos):
    if kind == 'relu':
        return F.relu(x)
    if kind == 'silu':
        return F.silu(x)
    if kind == 'gelu':
        return F.gelu(x, approximate='tanh')
    assert kind == 'stochA', kind
    # Per element: SILU with probability p, else RELU; draws keyed by (sequence seed, layer, position, unit).
    Fh = x.shape[-1]
    granularity = cfg.get('stochGranularity', 'element')
    unit = torch.arange(Fh, dtype=torch.int64) if granularity == 'element' else torch.zeros(Fh, dtype=torch.int64)
    counter = pos.to(torch.int64)[..., None] * Fh + unit
    if granularity == 'layer':
        counter = torch.zeros_like(counter)
    u = uniform_at(seeds.to(torch.int64)[:, None, None], torch.tensor(layer, dtype=torch.int64), counter)
    use_silu = u < cfg['stochP']
    if cfg.get('stochRegion', 'negOnly') == 'negOnly':
        use_silu = use_silu & (x < 0)  # for x >= 0 both branches equal x
    return torch.where(use_silu, F.silu(x), F.relu(x))


def attention(cfg, W, l, x, pos):
    B, T, C = x.shape
    H = cfg['nHead']
    D = C // H
    p = f'layers.{l}.attn'
    q = rope((x @ W[f'{p}.wq.weight'].T).view(B, T, H, D), pos, cfg['ropeTheta'])
    k = rope((x @ W[f'{p}.wk.weight'].T).view(B, T, H, D), pos, cfg['ropeTheta'])
    v = (x @ W[f'{p}.wv.weight'].T).view(B, T, H, D)
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))  # [B,H,T,D]
    visible = torch.ones(T, T, dtype=torch.bool).tril()
    scores = q @ k.transpose(-1, -2) / math.sqrt(D)
    mta = cfg.get('mta')
    conv_layer = mta is not None and (not mta['layers'] or l in mta['layers'])
    mixing = mta is not None and (mta['headMixPre'] or mta['headMixPost'] != 'none')
    if conv_layer and mta.get('preConv'):
        scores = kq_conv(scores.masked_fill(~visible, 0), W[f'{p}.mta.kq_pre'], mta['padKey'])
    if mixing and mta['headMixPre']:
        scores = torch.einsum('hg,bgij->bhij', W[f'{p}.mta.head_mix_pre'], scores)
    probs = torch.softmax(scores.masked_fill(~visible, float('-inf')), dim=-1)
    if conv_layer and mta.get('postConv'):
        probs = kq_conv(probs.masked_fill(~visible, 0), W[f'{p}.mta.kq_post'], mta['padKey']).masked_fill(~visible, 0)
    if mixing and mta['headMixPost'] == 'linear':
        probs = torch.einsum('hg,bgij->bhij', W[f'{p}.mta.head_mix_post'], probs)
    elif mixing and mta['headMixPost'] != 'none':
        ch = mta['headMixPost']
        grouped = probs.reshape(B, H // ch, ch, T, T)
        probs = torch.einsum('gio,bgitj->bgotj', W[f'{p}.mta.head_mix_post'], grouped).reshape(B, H, T, T)
    out = (probs @ v).transpose(1, 2)  # [B,T,H,D]
    if (conv_layer or mixing) and mta.get('groupNorm'):
        out = rmsnorm(out, W[f'{p}.mta.group_norm.weight'], 1e-5)
        if mta.get('depthScale'):
            out = out * (1 - (0.8 - 0.6 * math.exp(-0.3 * l)))
    if (conv_layer or mixing) and mta.get('gate', 'none') != 'none':
        out = out * torch.sigmoid(out @ W[f'{p}.mta.gate.weight'].T + W[f'{p}.mta.gate.bias'])
    return out.reshape(B, T, C) @ W[f'{p}.wo.weight'].T, probs


def forward(cfg, W, ids, pos, seeds=None):
    """ids, pos: int64 [B,T]; seeds: int64 [B] activation seeds (stochA only). Returns logits [B,T,V]."""
    if seeds is None:
        seeds = torch.zeros(ids.shape[0], dtype=torch.int64)
    x = W['embed.weight'][ids]
    for l in range(cfg['nLayer']):
        h = rmsnorm(x, W[f'layers.{l}.attn_norm.weight'], cfg['normEps'])
        a, _ = attention(cfg, W, l, h, pos)
        x = x + a
        f = rmsnorm(x, W[f'layers.{l}.ffn_norm.weight'], cfg['normEps'])
        hidden = activation(f @ W[f'layers.{l}.ffn.w1.weight'].T, cfg['activation'], cfg, l, seeds, pos)
        if cfg['ffn'] == 'gated':
            hidden = hidden * (f @ W[f'layers.{l}.ffn.w3.weight'].T)
        x = x + hidden @ W[f'layers.{l}.ffn.w2.weight'].T
    n = rmsnorm(x, W['norm.weight'], cfg['normEps'])
    head = W['embed.weight'] if cfg['tiedEmbeddings'] else W['lm_head.weight']
    return n @ head.T


def load(checkpoint_dir):
    with open(f'{checkpoint_dir}/config.json') as f:
        config = json.load(f)
    return config, read_safetensors(f'{checkpoint_dir}/model.safetensors')


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: reference_model.py CHECKPOINT_DIR "text"')
    config, W = load(sys.argv[1])
    alphabet = config['alphabet']
    ids = [BOS] + [3 + alphabet.index(ch) for ch in sys.argv[2]]
    t = torch.tensor([ids])
    logits = forward(config['model'], W, t, torch.arange(len(ids))[None])
    print(json.dumps(logits[0].tolist()))


if __name__ == '__main__':
    main()
