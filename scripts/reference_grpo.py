#!/usr/bin/env python3
"""PyTorch reference of one GRPO iteration, written from the formulas of TRL's GRPOTrainer, for
the golden fixtures of tests/rl/grpoReference.test.ts. The policy is scripts/reference_model.py's.

From a fixed checkpoint and a fixed generation batch (prompts, completions, truncation flags, activation seeds and
rewards given as data: no sampling), each case computes:
  advantages      (r - mean of the group) / (std + 1e-4), std of the group ('group') or of every reward of the
                  generation batch ('batch'), unscaled for 'none'; Bessel-corrected std
  minibatches     the generation batch in a fixed shuffled order (batch.json "order") cut into equal parts
  pi_old          log-probs before the first step whenever the batch spans several optimizer steps (mu > 1 or
                  minibatches > 1), else the detached current log-probs (ratio 1)
  ratio           importance_sampling_level 'token': r = exp(logp - old) per token; 'sequence' (GSPO): one r per
                  sequence, exp of the masked mean of (logp - old) over its completion tokens (1 when all are masked),
                  shared by all its tokens
  loss            per token -min(r' A, clip(r, 1 - eps, 1 + eps_high) A) + beta k3(ref), r' = min(r, delta) when delta
                  is set (two-sided clipping) else r, aggregated by loss_type over
                  the completion mask (truncated completions masked out with mask_truncated_completions):
                    grpo     mean over the B sequences of the per-sequence token mean
                    bnpo     sum / unmasked tokens of the minibatch
                    dapo     sum / unmasked tokens of the whole generation batch
                    dr_grpo  sum / (B * max_completion_length)
                  minus entropy_coef * (mean entropy over the unmasked completion tokens)
  optimizer       global-norm clipping, then AdamW (decay on matrices only) at the warm-up + cosine learning rate
                  of src/engine/schedule.ts: step s < W gets lr (s + 1) / W, then cosine to 10 % of lr at
                  total = iterations * mu * minibatches steps
  clip metrics    TRL's: token level, low/high are fractions of the unmasked tokens and low_min/high_max the min/max
                  over sequences with unmasked tokens of their per-sequence fraction; sequence level, the fractions
                  and min/max are over the minibatch's sequences (masked ones included)
for every combination of loss_type x scale_rewards x mask_truncated_completions x mu x minibatches x beta at token
level without delta (GRID), plus the three other pairs of importance_sampling_level x delta over loss_type x mu x
minibatches x {(no truncation mask, beta 0), (truncation mask, beta 0.04)} with group scaling (NEW_OPTIONS), with
temperature-scaled log-probs, a stochastic-activation policy and epsilon_high > epsilon.

Writes tests/fixtures/grpo-step/:
  config.json, model.safetensors   the checkpoint (random weights)
  batch.json                       the generation batch and the minibatch order
  expected.json                    per case: its settings, advantages, token weights (per sequence, generation
                                   order) and per optimizer step loss, grad_norm, learning_rate, kl, entropy, clip
                                   fractions
  expected.safetensors             per case c: c<c>.<parameter>, the weights after the iteration

Usage: /usr/bin/python3 scripts/reference_grpo.py   (needs torch; the outputs are committed, tests never run Python)
"""
import itertools
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import reference_model as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'grpo-step')
ALPHABET = 'abcdefgh>'
MODEL = {
    'vocabSize': 3 + len(ALPHABET), 'contextLength': 16, 'nLayer': 1, 'nHead': 2, 'nEmbd': 16, 'ffnHidden': 32,
    'ffn': 'mlp', 'activation': 'stochA', 'stochP': 0.5, 'stochRegion': 'negOnly', 'stochGranularity': 'element',
    'swiFtFraction': 0, 'mta': None, 'tiedEmbeddings': False, 'ropeTheta': 10000, 'normEps': 1e-5,
}
G, P, MAX_LEN = 4, 4, 6
# Settings every case shares (GrpoConfig names). The learning rate is large so that later steps leave the clip range.
SHARED = {
    'num_generations': G, 'prompts_per_step': P, 'max_completion_length': MAX_LEN, 'temperature': 0.8,
    'epsilon': 0.2, 'epsilon_high': 0.28, 'entropy_coef': 0.01, 'max_grad_norm': 1.0, 'learning_rate': 0.03,
    'warmup_steps': 2, 'weight_decay': 0.01,
}
ITERATIONS = 3  # the run length the learning-rate schedule is planned for
MIN_LR_RATIO = 0.1
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8
GRID = {
    'loss_type': ['grpo', 'bnpo', 'dapo', 'dr_grpo'],
    'scale_rewards': ['group', 'batch', 'none'],
    'mask_truncated_completions': [False, True],
    'num_iterations': [1, 2],
    'minibatches': [1, 2],
    'beta': [0.0, 0.04],
}
# importance_sampling_level x delta beyond (token, None), each over a covering subset of GRID (the full cross product
# would quadruple the fixture). delta 1.5 > 1 + epsilon_high; the large learning rate makes later steps cross it.
NEW_OPTIONS = [('token', 1.5), ('sequence', None), ('sequence', 1.5)]
NEW_GRID = {
    'loss_type': ['grpo', 'bnpo', 'dapo', 'dr_grpo'],
    'num_iterations': [1, 2],
    'minibatches': [1, 2],
    'mask_and_beta': [(False, 0.0), (True, 0.04)],
}


def configs():
    for values in itertools.product(*GRID.values()):
        yield {**SHARED, **dict(zip(GRID.keys(), values)), 'importance_sampling_level': 'token', 'delta': None}
    for level, delta in NEW_OPTIONS:
        for loss_type, mu, minibatches, (mask, beta) in itertools.product(*NEW_GRID.values()):
            yield {**SHARED, 'loss_type': loss_type, 'scale_rewards': 'group', 'mask_truncated_completions': mask,
                   'num_iterations': mu, 'minibatches': minibatches, 'beta': beta,
                   'importance_sampling_level': level, 'delta': delta}


def f32(x):
    """A float rounded to float32 precision, written short."""
    return float(f'{x:.9g}')


# ---- fixed inputs ------------------------------------------------------------------------------------------------
def random_weights(gen):
    shapes = {'embed.weight': [MODEL['vocabSize'], MODEL['nEmbd']]}
    C, Fh = MODEL['nEmbd'], MODEL['ffnHidden']
    for l in range(MODEL['nLayer']):
        p = f'layers.{l}'
        shapes[f'{p}.attn_norm.weight'] = [C]
        for n in ('wq', 'wk', 'wv', 'wo'):
            shapes[f'{p}.attn.{n}.weight'] = [C, C]
        shapes[f'{p}.ffn_norm.weight'] = [C]
        shapes[f'{p}.ffn.w1.weight'] = [Fh, C]
        shapes[f'{p}.ffn.w2.weight'] = [C, Fh]
    shapes['norm.weight'] = [C]
    shapes['lm_head.weight'] = [MODEL['vocabSize'], C]
    return {name: (1 + 0.1 * torch.randn(s, generator=gen)) if name.endswith('norm.weight') else 0.3 * torch.randn(s, generator=gen)
            for name, s in shapes.items()}


def generation_batch(gen):
    """P prompts x G completions (ids of ALPHABET tokens; EOS closes every completion that is not truncated)."""
    letters = list(range(3, 3 + len(ALPHABET)))
    pick = lambda n: [letters[i] for i in torch.randint(len(letters), (n,), generator=gen).tolist()]  # noqa: E731
    lengths = [[2, 6, 4, 1], [6, 3, 6, 5], [1, 2, 3, 6], [5, 6, 2, 4]]  # truncated ones have MAX_LEN tokens
    rewards = [[1.0, 0.0, 0.5, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 0.2, 0.0, 0.7], [0.3, 1.0, 1.0, 0.0]]
    seqs = []
    for g in range(P):
        prompt = pick(2 + g)
        for i in range(G):
            n = lengths[g][i]
            truncated = n == MAX_LEN
            completion = pick(n) if truncated else pick(n - 1) + [ref.EOS]
            seqs.append({'prompt': prompt, 'completion': completion, 'truncated': truncated,
                         'actSeed': int(torch.randint(1, 2 ** 31 - 1, (1,), generator=gen)), 'reward': rewards[g][i]})
    order = torch.randperm(P * G, generator=gen).tolist()
    return seqs, order


# ---- GRPO --------------------------------------------------------------------------------------------------------
def advantages(rewards, scale):
    r = torch.tensor(rewards, dtype=torch.float64)
    grouped = r.view(-1, G)
    mean = grouped.mean(dim=1).repeat_interleave(G)
    if scale == 'none':
        return r - mean
    std = grouped.std(dim=1).repeat_interleave(G) if scale == 'group' else r.std().expand_as(r)
    return (r - mean) / (std + 1e-4)


def learning_rate(step, total, cfg):
    lr, warmup = cfg['learning_rate'], cfg['warmup_steps']
    if step < warmup:
        return lr * (step + 1) / warmup
    progress = min(1.0, (step - warmup) / (total - warmup)) if total > warmup else 1.0
    floor = lr * MIN_LR_RATIO
    return floor + (lr - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def completion_stats(W, seqs, temperature):
    """Per completion token, [B, MAX_LEN] padded: log-prob and entropy at the temperature, and the length mask."""
    B = len(seqs)
    full = [[ref.BOS] + s['prompt'] + s['completion'] for s in seqs]
    T = max(len(f) for f in full) - 1
    ids = torch.full((B, T), ref.PAD, dtype=torch.int64)
    for b, f in enumerate(full):
        ids[b, :len(f) - 1] = torch.tensor(f[:-1])
    pos = torch.arange(T).repeat(B, 1)
    seeds = torch.tensor([s['actSeed'] for s in seqs], dtype=torch.int64)
    logits = ref.forward(MODEL, W, ids, pos, seeds) / temperature
    logp_all = torch.log_softmax(logits, dim=-1)
    entropy_all = -(logp_all.exp() * logp_all).sum(-1)
    rows = torch.zeros(B, MAX_LEN, dtype=torch.int64)
    tokens = torch.zeros(B, MAX_LEN, dtype=torch.int64)
    mask = torch.zeros(B, MAX_LEN)
    for b, s in enumerate(seqs):
        for k, token in enumerate(s['completion']):
            rows[b, k] = len(s['prompt']) + k  # the input position whose next token is completion token k
            tokens[b, k] = token
            mask[b, k] = 1
    batch = torch.arange(B)[:, None]
    logp = logp_all[batch, rows, tokens] * mask
    entropy = entropy_all[batch, rows] * mask
    return logp, entropy, mask


def aggregate(per_token, mask, loss_type, global_tokens):
    B = per_token.shape[0]
    if loss_type == 'grpo':
        return ((per_token * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)).mean()
    if loss_type == 'bnpo':
        return (per_token * mask).sum() / mask.sum().clamp(min=1.0)
    if loss_type == 'dapo':
        return (per_token * mask).sum() / max(1.0, global_tokens)
    assert loss_type == 'dr_grpo', loss_type
    return (per_token * mask).sum() / (B * MAX_LEN)


def completion_mask(seqs, cfg):
    mask = torch.tensor([[1.0 if k < len(s['completion']) else 0.0 for k in range(MAX_LEN)] for s in seqs])
    if cfg['mask_truncated_completions']:
        mask = mask * torch.tensor([[0.0 if s['truncated'] else 1.0] for s in seqs])
    return mask


def token_weights(seqs, cfg, global_tokens):
    """d loss / d per-token loss of one minibatch, per sequence (its completion tokens)."""
    mask = completion_mask(seqs, cfg)
    unit = torch.ones(len(seqs), MAX_LEN, dtype=torch.float64, requires_grad=True)
    aggregate(unit, mask.double(), cfg['loss_type'], global_tokens).backward()
    return [[f32(w) for w in unit.grad[b, :len(s['completion'])].tolist()] for b, s in enumerate(seqs)]


def clip_metrics(low, high, binds, mask, sequence):
    """TRL's clip_ratio low/high means, low_min, high_max, plus the fraction where the delta cap binds."""
    if sequence:  # [B, 1]: one flag per sequence, every sequence counts
        low, high, binds = low[:, 0], high[:, 0], binds[:, 0]
        return {'low': f32(low.mean().item()), 'high': f32(high.mean().item()), 'low_min': f32(low.min().item()),
                'high_max': f32(high.max().item()), 'delta_binds': f32(binds.mean().item())}
    tokens = mask.sum().clamp(min=1.0)
    counted = mask.sum(-1) > 0
    per_seq = lambda x: ((x * mask).sum(-1) / mask.sum(-1))[counted]  # noqa: E731  (TRL's nanmin/nanmax skip the rest)
    return {'low': f32(((low * mask).sum() / tokens).item()), 'high': f32(((high * mask).sum() / tokens).item()),
            'low_min': f32(per_seq(low).min().item()), 'high_max': f32(per_seq(high).max().item()),
            'delta_binds': f32(((binds * mask).sum() / tokens).item())}


def iteration(W0, seqs, order, cfg):
    n = len(seqs)
    adv = advantages([s['reward'] for s in seqs], cfg['scale_rewards']).float()
    M, mu = cfg['minibatches'], cfg['num_iterations']
    per = n // M
    parts = [order[m * per:(m + 1) * per] for m in range(M)]
    global_tokens = float(completion_mask(seqs, cfg).sum())
    weights = [None] * n
    for idx in parts:
        for i, w in zip(idx, token_weights([seqs[i] for i in idx], cfg, global_tokens)):
            weights[i] = w

    W = {k: v.clone().requires_grad_(True) for k, v in W0.items()}
    decay = [W[k] for k in W if W[k].dim() == 2]
    no_decay = [W[k] for k in W if W[k].dim() != 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': cfg['weight_decay']}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=cfg['learning_rate'], betas=ADAM_BETAS, eps=ADAM_EPS)
    T = cfg['temperature']
    spans_steps = mu > 1 or M > 1
    with torch.no_grad():
        olds = [completion_stats(W0, [seqs[i] for i in idx], T)[0] for idx in parts] if spans_steps else None
        refs = [completion_stats(W0, [seqs[i] for i in idx], T)[0] for idx in parts] if cfg['beta'] > 0 else None
    total = ITERATIONS * mu * M
    steps = []
    for _ in range(mu):
        for m, idx in enumerate(parts):
            batch = [seqs[i] for i in idx]
            logp, entropy, _ = completion_stats(W, batch, T)
            mask = completion_mask(batch, cfg)
            old = olds[m] if spans_steps else logp.detach()
            log_ratio = logp - old
            sequence = cfg['importance_sampling_level'] == 'sequence'
            if sequence:
                log_ratio = ((log_ratio * mask).sum(-1) / mask.sum(-1).clamp(min=1.0))[:, None]
            ratio = torch.exp(log_ratio)
            A = adv[idx][:, None]
            lo, hi = 1 - cfg['epsilon'], 1 + cfg['epsilon_high']
            capped = ratio if cfg['delta'] is None else torch.clamp(ratio, max=cfg['delta'])
            per_token = -torch.min(capped * A, torch.clamp(ratio, lo, hi) * A)
            kl = torch.zeros_like(logp)
            if refs is not None:
                d = refs[m] - logp
                kl = torch.exp(d) - d - 1
                per_token = per_token + cfg['beta'] * kl
            tokens = mask.sum().clamp(min=1.0)
            mean_entropy = (entropy * mask).sum() / tokens
            loss = aggregate(per_token, mask, cfg['loss_type'], global_tokens) - cfg['entropy_coef'] * mean_entropy
            opt.zero_grad()
            loss.backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(decay + no_decay, cfg['max_grad_norm'])
            lr = learning_rate(len(steps), total, cfg)
            for group in opt.param_groups:
                group['lr'] = lr
            opt.step()
            low, high = ((ratio < lo) & (A < 0)).float(), ((ratio > hi) & (A > 0)).float()
            binds = ((ratio > cfg['delta']) & (A < 0)).float() if cfg['delta'] is not None else torch.zeros_like(ratio)
            steps.append({'loss': f32(loss.item()), 'grad_norm': f32(grad_norm.item()), 'learning_rate': lr,
                          'kl': f32(((kl * mask).sum() / tokens).item()), 'entropy': f32(mean_entropy.item()),
                          **clip_metrics(low, high, binds, mask, sequence)})
    return {'advantages': [f32(a) for a in adv.tolist()], 'token_weights': weights, 'steps': steps}, \
        {k: v.detach() for k, v in W.items()}


def main():
    gen = torch.Generator().manual_seed(9)
    W0 = random_weights(gen)
    seqs, order = generation_batch(gen)
    os.makedirs(OUT, exist_ok=True)
    note = {'generated_by': 'scripts/reference_grpo.py', 'note': 'do not edit'}
    with open(os.path.join(OUT, 'config.json'), 'w') as f:
        json.dump({'format': 'grpo-playground/checkpoint@1', 'model': MODEL, 'alphabet': ALPHABET}, f, indent=2)
    ref.write_safetensors(os.path.join(OUT, 'model.safetensors'), W0, note)
    with open(os.path.join(OUT, 'batch.json'), 'w') as f:
        json.dump({**note, 'iterations': ITERATIONS, 'order': order, 'sequences': seqs}, f)
    cases, after = [], {}
    for c, cfg in enumerate(configs()):
        expected, W = iteration(W0, seqs, order, cfg)
        cases.append({'config': cfg, **expected})
        after.update({f'c{c}.{k}': v for k, v in W.items()})
        clipped = sum(s['low'] + s['high'] for s in expected['steps'])
        binds = sum(s['delta_binds'] for s in expected['steps'])
        settings = ' '.join(str(cfg[k]) for k in [*GRID, 'importance_sampling_level', 'delta'])
        print(f"case {c:3d} {settings:55s} loss {expected['steps'][0]['loss']:+.5f} "
              f"grad_norm {expected['steps'][0]['grad_norm']:.4f} clipped {clipped:.3f} delta binds {binds:.3f}")
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({**note, 'cases': cases}, f)
    ref.write_safetensors(os.path.join(OUT, 'expected.safetensors'), after, note)


if __name__ == '__main__':
    main()
