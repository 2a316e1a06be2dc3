#!/usr/bin/env python3
"""Golden fixtures for tests/model/reference.test.ts, from the PyTorch reference (scripts/reference_model.py).

For each case it writes tests/fixtures/<case>/:
  config.json, model.safetensors   a checkpoint with random (non-identity) weights, MTA kernels included
  inputs.json                      ids [B,T], targets [B·T], weights [B·T], activation seeds [B]
  expected.safetensors             logits [B·T,V], loss [1] = Σ weights·CE, and grad.<name> for every parameter

Usage: /usr/bin/python3 scripts/make_fixtures.py   (needs torch; the outputs are committed, tests never run Python)
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import reference_model as ref  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures')
ALPHABET = 'abcdefgh'
MTA = {
    'layers': [],
    'preConv': {'cq': 2, 'ck': 3},
    'postConv': {'cq': 2, 'ck': 3},
    'padKey': 'both',
    'headMixPre': True,
    'headMixPost': 2,
    'groupNorm': True,
    'depthScale': True,
    'gate': '1d',
}


def model_config(**over):
    cfg = {
        'vocabSize': 3 + len(ALPHABET), 'contextLength': 16, 'nLayer': 2, 'nHead': 4, 'nEmbd': 16, 'ffnHidden': 24,
        'ffn': 'mlp', 'activation': 'stochA', 'stochP': 0.0, 'stochRegion': 'negOnly', 'mta': MTA,
        'tiedEmbeddings': False, 'ropeTheta': 10000, 'normEps': 1e-5,
    }
    cfg.update(over)
    return cfg


def param_shapes(c):
    C, H, D, Fh = c['nEmbd'], c['nHead'], c['nEmbd'] // c['nHead'], c['ffnHidden']
    m = c['mta']
    shapes = {'embed.weight': [c['vocabSize'], C]}
    for l in range(c['nLayer']):
        p = f'layers.{l}'
        shapes[f'{p}.attn_norm.weight'] = [C]
        for n in ('wq', 'wk', 'wv', 'wo'):
            shapes[f'{p}.attn.{n}.weight'] = [C, C]
        if m:
            conv = not m['layers'] or l in m['layers']
            mixing = m['headMixPre'] or m['headMixPost'] != 'none'
            q = f'{p}.attn.mta'
            if conv and m['preConv']:
                shapes[f'{q}.kq_pre'] = [H, m['preConv']['cq'], m['preConv']['ck']]
            if conv and m['postConv']:
                shapes[f'{q}.kq_post'] = [H, m['postConv']['cq'], m['postConv']['ck']]
            if mixing and m['headMixPre']:
                shapes[f'{q}.head_mix_pre'] = [H, H]
            if mixing and m['headMixPost'] == 'linear':
                shapes[f'{q}.head_mix_post'] = [H, H]
            elif mixing and m['headMixPost'] != 'none':
                ch = m['headMixPost']
                shapes[f'{q}.head_mix_post'] = [H // ch, ch, ch]
            if (conv or mixing) and m['groupNorm']:
                shapes[f'{q}.group_norm.weight'] = [D]
            if (conv or mixing) and m['gate'] != 'none':
                w = 1 if m['gate'] == '1d' else D
                shapes[f'{q}.gate.weight'] = [w, D]
                shapes[f'{q}.gate.bias'] = [w]
        shapes[f'{p}.ffn_norm.weight'] = [C]
        shapes[f'{p}.ffn.w1.weight'] = [Fh, C]
        shapes[f'{p}.ffn.w2.weight'] = [C, Fh]
        if c['ffn'] == 'gated':
            shapes[f'{p}.ffn.w3.weight'] = [Fh, C]
    shapes['norm.weight'] = [C]
    if not c['tiedEmbeddings']:
        shapes['lm_head.weight'] = [c['vocabSize'], C]
    return shapes


def make_case(name, cfg, seed):
    torch.manual_seed(seed)
    weights = {}
    for pname, shape in param_shapes(cfg).items():
        if pname.endswith('norm.weight'):
            t = 1 + 0.1 * torch.randn(shape)
        else:
            t = 0.3 * torch.randn(shape)
        weights[pname] = t.requires_grad_(True)
    B, T = 2, 7
    ids = torch.randint(3, cfg['vocabSize'], (B, T))
    ids[:, 0] = ref.BOS
    targets = torch.randint(3, cfg['vocabSize'], (B * T,))
    row_weights = torch.rand(B * T)
    seeds = torch.tensor([12345, 678])
    pos = torch.arange(T).repeat(B, 1)
    logits = ref.forward(cfg, weights, ids, pos, seeds).reshape(B * T, -1)
    loss = (row_weights * F.cross_entropy(logits, targets, reduction='none')).sum()
    loss.backward()

    out_dir = os.path.join(ROOT, name)
    os.makedirs(out_dir, exist_ok=True)
    config = {'format': 'grpo-playground/checkpoint@1', 'model': cfg, 'alphabet': ALPHABET}
    with open(os.path.join(out_dir, 'config.json'), 'w') as f:
        json.dump(config, f, indent=2)
    ref.write_safetensors(os.path.join(out_dir, 'model.safetensors'), {k: v.detach() for k, v in weights.items()},
                          {'generated_by': 'scripts/make_fixtures.py', 'note': 'do not edit'})
    with open(os.path.join(out_dir, 'inputs.json'), 'w') as f:
        json.dump({'generated_by': 'scripts/make_fixtures.py', 'B': B, 'T': T, 'ids': ids.flatten().tolist(),
                   'targets': targets.tolist(), 'weights': row_weights.tolist(), 'seeds': seeds.tolist()}, f)
    expected = {'logits': logits.detach(), 'loss': loss.detach().reshape(1)}
    for k, v in weights.items():
        expected[f'grad.{k}'] = v.grad
    ref.write_safetensors(os.path.join(out_dir, 'expected.safetensors'), expected,
                          {'generated_by': 'scripts/make_fixtures.py', 'note': 'do not edit'})
    print(f'{name}: loss {loss.item():.6f}')


if __name__ == '__main__':
    make_case('mta-stochA-p0', model_config(stochP=0.0), 1)
    make_case('mta-stochA-p1', model_config(stochP=1.0, stochRegion='all', ffn='gated'), 2)
    make_case('mta-stochA-p03', model_config(stochP=0.3, mta=dict(MTA, headMixPost='linear', gate='full', padKey='left', preConv={'cq': 3, 'ck': 2}, postConv=None, layers=[1])), 3)
