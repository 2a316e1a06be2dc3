#!/usr/bin/env python3
"""PyTorch reference of one J1 judge GRPO iteration (J1: Whitehouse et al., arXiv 2505.10320; docs/judges.md),
for the golden fixture of tests/rl/judgeTraining/j1Reference.test.ts. The judge model and the GRPO step are
scripts/reference_grpo.py's (imported, with this fixture's model and group shape); what is new here is written
from the J1 recipe:

  batch        two pairs, each in both orders side by side (ab, ba), G = 4 judge outputs per order, given as text
  verdict      exactly one [[A]] or [[B]] that ends the output, else malformed (no letter)
  reward       1 when the letter is the correct one in that order, plus weight x consistency, where rollout k of
               order ab and rollout k of order ba both get 1 only when both are right
  advantages   per judge prompt (group of G), (r - mean) / (std + 1e-4), Bessel-corrected std
  step         one GRPO step (dapo loss, no KL, one minibatch) and AdamW, from fixed random judge weights

Two cases: the consistency reward on (weight 1) and off (weight 0), each from the same weights.

Writes tests/fixtures/j1-step/: config.json, model.safetensors (the judge), batch.json (instances, outputs, the
token ids of every output), expected.json (per case: rewards, advantages, loss, grad_norm), expected.safetensors
(per case c: c<c>.<parameter>, the weights after the step).

Usage: /usr/bin/python3 scripts/reference_j1.py   (needs torch; the outputs are committed, tests never run Python)
"""
import json
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import reference_grpo as rg  # noqa: E402
import reference_model as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'j1-step')
POLICY_ALPHABET = '0123456789+='
ALPHABET = POLICY_ALPHABET + 'AB|[]'  # the policy's alphabet, then the J1 markers (src/rl/judgeTraining/j1.ts)
MODEL = {
    'vocabSize': 3 + len(ALPHABET), 'contextLength': 24, 'nLayer': 1, 'nHead': 2, 'nEmbd': 16, 'ffnHidden': 32,
    'ffn': 'mlp', 'activation': 'silu', 'stochP': 0.5, 'stochRegion': 'negOnly', 'stochGranularity': 'element',
    'swiFtFraction': 0, 'mta': None, 'tiedEmbeddings': False, 'ropeTheta': 10000, 'normEps': 1e-5,
}
G, MAX_OUTPUT = 4, 8
# The judge's GRPO settings (GrpoConfig names): the run defaults with the judge's group shape.
CONFIG = {
    'num_generations': G, 'prompts_per_step': 4, 'max_completion_length': MAX_OUTPUT, 'temperature': 1.0,
    'epsilon': 0.2, 'epsilon_high': 0.2, 'entropy_coef': 0.0, 'max_grad_norm': 1.0, 'learning_rate': 0.01,
    'warmup_steps': 0, 'weight_decay': 0.0, 'loss_type': 'dapo', 'scale_rewards': 'group',
    'mask_truncated_completions': False, 'num_iterations': 1, 'minibatches': 1, 'beta': 0.0,
    'importance_sampling_level': 'token', 'delta': None,
}
# (problem, a, b, correct letter in order ab) and, per order, G outputs: right, wrong, flipped and malformed
# verdicts, one output cut at the budget (no EOS).
PAIRS = [
    ('3+4=', '7', '8', 'A', {'ab': ['7[[A]]', '7[[B]]', '8[[A]]', '7[[A'], 'ba': ['7[[B]]', '7[[B]]', '7[[A]]', '[[B]][[B']}),
    ('5+1=', '5', '6', 'B', {'ab': ['6[[B]]', '6[[A]]', '6[[B]]', '6[[B]]0'], 'ba': ['6[[A]]', '6[[A]]', '6[[B]]', '6[[A]]']}),
]
CASES = [1.0, 0.0]  # consistency weight


def encode(text):
    return [3 + ALPHABET.index(ch) for ch in text]


def verdict_letter(output):
    found = [m for m in re.finditer(r'\[\[(.)\]\]', output) if m.group(1) in 'AB']
    if len(found) != 1 or found[0].end() != len(output):
        return None
    return found[0].group(1)


def instances():
    out = []
    for pair_id, (problem, a, b, correct, outputs) in enumerate(PAIRS):
        other = 'B' if correct == 'A' else 'A'
        for order, (first, second), answer in (('ab', (a, b), correct), ('ba', (b, a), other)):
            out.append({'prompt': f'{problem}A{first}B{second}|', 'answer': answer, 'pairId': pair_id, 'order': order,
                        'outputs': outputs[order]})
    return out


def rewards(batch, weight):
    letters = [[verdict_letter(o) for o in inst['outputs']] for inst in batch]
    out = []
    for i, inst in enumerate(batch):
        partner = next(j for j, other in enumerate(batch) if other['pairId'] == inst['pairId'] and j != i)
        right = [1.0 if v == inst['answer'] else 0.0 for v in letters[i]]
        partner_right = [1.0 if v == batch[partner]['answer'] else 0.0 for v in letters[partner]]
        out.append([r + weight * r * p for r, p in zip(right, partner_right)])
    return out


def main():
    rg.MODEL, rg.G, rg.MAX_LEN, rg.ITERATIONS = MODEL, G, MAX_OUTPUT, 1
    gen = torch.Generator().manual_seed(12)
    W0 = rg.random_weights(gen)
    batch = instances()
    seqs = []
    for inst in batch:
        for text in inst['outputs']:
            truncated = len(text) == MAX_OUTPUT
            seqs.append({'prompt': encode(inst['prompt']), 'completion': encode(text) + ([] if truncated else [ref.EOS]),
                         'truncated': truncated, 'actSeed': 0})
    order = list(range(len(seqs)))
    os.makedirs(OUT, exist_ok=True)
    note = {'generated_by': 'scripts/reference_j1.py', 'note': 'do not edit'}
    with open(os.path.join(OUT, 'config.json'), 'w') as f:
        json.dump({'format': 'grpo-playground/checkpoint@1', 'model': MODEL, 'alphabet': ALPHABET}, f, indent=2)
    ref.write_safetensors(os.path.join(OUT, 'model.safetensors'), W0, note)
    with open(os.path.join(OUT, 'batch.json'), 'w') as f:
        json.dump({**note, 'policyAlphabet': POLICY_ALPHABET, 'config': CONFIG, 'instances': batch, 'sequences': seqs}, f)
    results = [one_case(W0, batch, seqs, order, weight) for weight in CASES]
    after = {f'c{c}.{k}': v for c, (_, W) in enumerate(results) for k, v in W.items()}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({**note, 'cases': [case for case, _ in results]}, f)
    ref.write_safetensors(os.path.join(OUT, 'expected.safetensors'), after, note)


def one_case(W0, batch, seqs, order, weight):
    """The rewards at this consistency weight, then one GRPO step from W0: (expected values, weights after)."""
    r = rewards(batch, weight)
    scored = [{**s, 'reward': value} for s, value in zip(seqs, [x for group in r for x in group])]
    expected, W = rg.iteration(W0, scored, order, CONFIG)
    step = expected['steps'][0]
    print(f"consistency weight {weight}: rewards {r} loss {step['loss']:+.6f} grad_norm {step['grad_norm']:.5f}")
    return {'consistency_weight': weight, 'rewards': r, 'advantages': expected['advantages'],
            'loss': step['loss'], 'grad_norm': step['grad_norm']}, W

if __name__ == '__main__':
    main()
