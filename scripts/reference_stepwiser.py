#!/usr/bin/env python3
"""PyTorch reference of one StepWiser judge iteration, for tests/rl/stepwiserReference.test.ts.

From fixed judge weights and a fixed batch of step-judging rollouts (judge prompts "problem, previous steps, >, new
step, ?" with each step's Monte-Carlo label, and G judge outputs per prompt, given as text: no sampling):
  rewards     1 when the output ends in exactly one verdict ":P" / ":N" (no other ":P" / ":N" before it) and the
              verdict is the step's label (P positive, N negative); 0 otherwise, unreadable outputs included
  then one GRPO iteration of scripts/reference_grpo.py (advantages, loss, AdamW step), reused by import, under the
  settings the StepWiser trainer gives its judge (single minibatch, μ 1, no reference policy, gold rewards) for the
  loss types 'dapo' and 'grpo'.

Writes tests/fixtures/stepwiser-step/:
  config.json, model.safetensors   the judge checkpoint (random weights)
  batch.json                       prompts, labels, outputs (text and token ids), rewards' inputs, minibatch order
  expected.json                    per case: settings, rewards, advantages, per optimizer step loss, grad_norm, lr
  expected.safetensors             per case c: c<c>.<parameter>, the judge's weights after the iteration

Usage: /usr/bin/python3 scripts/reference_stepwiser.py   (needs torch; the outputs are committed, tests never run Python)
"""
import json
import os
import re
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import reference_grpo as grpo  # noqa: E402
import reference_model as ref  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'stepwiser-step')
# The multi-step task's alphabet, then the step-judge format's markers (src/rl/judgeTraining/stepData.ts).
ALPHABET = '0123456789+-*=;#' + '>?:PN'
MODEL = {**grpo.MODEL, 'vocabSize': 3 + len(ALPHABET), 'contextLength': 32, 'activation': 'silu'}
G, P, MAX_LEN = 4, 4, 6
# (judge prompt, label, G outputs): right and wrong verdicts, one without a verdict, one with two, one truncated.
STEPS = [
    ('5+3*2=>5+3=8?', 'P', ['8:P', '8:N', '9:P', '8:']),
    ('5+3*2=5+3=8;>8*2=17?', 'N', ['16:N', '16:P', '16:N', '1:N:N']),
    ('4-1*3=>4-1=3?', 'P', ['3:N', '3:N', '3:P', '333333']),
    ('2*2+1=>2*2=5?', 'N', ['4:N', '4:N', '4:N', '4:N']),
]
SETTINGS = {
    'num_generations': G, 'prompts_per_step': P, 'max_completion_length': MAX_LEN, 'temperature': 1.0,
    'epsilon': 0.2, 'epsilon_high': 0.2, 'entropy_coef': 0.0, 'max_grad_norm': 1.0, 'learning_rate': 0.01,
    'warmup_steps': 0, 'weight_decay': 0.0, 'scale_rewards': 'group', 'mask_truncated_completions': False,
    'num_iterations': 1, 'minibatches': 1, 'beta': 0.0, 'importance_sampling_level': 'token', 'delta': None,
}
LOSS_TYPES = ['dapo', 'grpo']
ITERATIONS = 5


def encode(text):
    return [3 + ALPHABET.index(ch) for ch in text]


def verdict_reward(output, label):
    """The judge's reward: its single final verdict is the label."""
    m = re.search(r':([PN])$', output)
    if not m or re.search(r':[PN]', output[:m.start()]):
        return 0.0
    return 1.0 if m.group(1) == label else 0.0


def judge_batch():
    seqs = []
    for prompt, label, outputs in STEPS:
        for out in outputs:
            truncated = len(out) >= MAX_LEN
            completion = encode(out[:MAX_LEN]) if truncated else encode(out) + [ref.EOS]
            seqs.append({'prompt': encode(prompt), 'completion': completion, 'truncated': truncated, 'actSeed': 0,
                         'reward': verdict_reward(out[:MAX_LEN], label), 'text': out[:MAX_LEN], 'label': label,
                         'promptText': prompt})
    return seqs


def main():
    # reference_grpo's functions read their sizes from module globals: set them to this fixture's.
    grpo.MODEL, grpo.G, grpo.P, grpo.MAX_LEN, grpo.ITERATIONS = MODEL, G, P, MAX_LEN, ITERATIONS
    gen = torch.Generator().manual_seed(12)
    W0 = grpo.random_weights(gen)
    seqs = judge_batch()
    order = torch.randperm(len(seqs), generator=gen).tolist()
    os.makedirs(OUT, exist_ok=True)
    note = {'generated_by': 'scripts/reference_stepwiser.py', 'note': 'do not edit'}
    with open(os.path.join(OUT, 'config.json'), 'w') as f:
        json.dump({'format': 'grpo-playground/checkpoint@1', 'model': MODEL, 'alphabet': ALPHABET}, f, indent=2)
    ref.write_safetensors(os.path.join(OUT, 'model.safetensors'), W0, note)
    with open(os.path.join(OUT, 'batch.json'), 'w') as f:
        json.dump({**note, 'iterations': ITERATIONS, 'order': order, 'sequences': seqs}, f)
    cases, after = [], {}
    for c, loss_type in enumerate(LOSS_TYPES):
        cfg = {**SETTINGS, 'loss_type': loss_type}
        expected, W = grpo.iteration(W0, seqs, order, cfg)
        cases.append({'config': cfg, 'rewards': [s['reward'] for s in seqs], **expected})
        after.update({f'c{c}.{k}': v for k, v in W.items()})
        print(f"case {c} {loss_type:5s} rewards {[s['reward'] for s in seqs]} loss {expected['steps'][0]['loss']:+.6f} "
              f"grad_norm {expected['steps'][0]['grad_norm']:.5f}")
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({**note, 'cases': cases}, f)
    ref.write_safetensors(os.path.join(OUT, 'expected.safetensors'), after, note)


if __name__ == '__main__':
    main()
