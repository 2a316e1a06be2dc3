#!/usr/bin/env python3
"""Brute-force reference for src/rl/reasoning/passAtK.ts, for the fixture of tests/rl/reasoning/passAtKReference.test.ts.

It uses no binomial formula: for a group of N verdicts it enumerates every k-subset (itertools.combinations),
  pass@k       = share of the k-subsets that contain a correct sample
  advantage_i  = share of the k-subsets containing i that contain a correct sample, minus pass@k
in exact fractions. The closed forms in passAtK.ts (1 - C(N_inc,k)/C(N,k); 1 - mu and
1 - mu - C(N_inc-1,k-1)/C(N-1,k-1)) must agree with these counts.

Writes tests/fixtures/pass-at-k/expected.json: a list of {correct, k, pass_at_k, advantages} for N = 1..10,
k = 1..N, with a fixed pattern of verdicts per (N, k) (the bits of a hash of N and k) plus the all-wrong and
all-right groups. Run: /usr/bin/python3 scripts/reference_pass_at_k.py
"""
import json
import os
from fractions import Fraction
from itertools import combinations


def reference(correct, k):
    n = len(correct)
    subsets = list(combinations(range(n), k))
    passes = {s: any(correct[i] for i in s) for s in subsets}
    mu = Fraction(sum(passes.values()), len(subsets))
    advantages = []
    for i in range(n):
        containing = [s for s in subsets if i in s]
        advantages.append(Fraction(sum(passes[s] for s in containing), len(containing)) - mu)
    return mu, advantages


def main():
    cases = []
    for n in range(1, 11):
        for k in range(1, n + 1):
            bits = (n * 2654435761 + k * 40503) % (1 << n)
            patterns = [[bool(bits >> i & 1) for i in range(n)], [False] * n, [True] * n]
            for correct in patterns:
                mu, adv = reference(correct, k)
                cases.append({'correct': correct, 'k': k, 'pass_at_k': float(mu), 'advantages': [float(a) for a in adv]})
    out = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'pass-at-k')
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump(cases, f, indent=None, separators=(',', ':'))
        f.write('\n')
    print(f'{len(cases)} cases')


if __name__ == '__main__':
    main()
