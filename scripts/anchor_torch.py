"""The PyTorch side of `npm run bench -- --anchor` (scripts/anchor.ts): one toy GRPO iteration in eager mode
on the CPU, timed by phase, with a fixed thread count. By default runs 2 warm-ups and --iters timed
iterations and prints one JSON line with the median ms per phase. With --serve it runs one iteration per line
read from stdin and answers each with a JSON line of its phase times (ms), so the bench can interleave these
iterations with its own: on a shared machine both then see the same load.

Same workload as the TypeScript side: vocab 32, 8 prompts x 16 completions, prompt length 16, 32 new tokens;
pre-norm decoder (RMSNorm, RoPE on interleaved pairs, causal attention, SiLU MLP of width 4C, untied head).
Phases: rollout (KV-cache sampling, prefill included), fwdbwd (forward over prompt + completion, log-probs of
the completion, clipped GRPO loss, backward), adamw (torch.optim.AdamW, weight decay 0.01).
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

VOCAB, PROMPTS, GROUP, PROMPT_LEN, NEW_TOKENS, WARMUP = 32, 8, 16, 16, 32, 2


def rotate(x, pos):
    """RoPE on x (B, H, T, D): pair (2i, 2i+1) turned by pos * 10000^(-2i/D)."""
    d = x.shape[-1]
    freq = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)
    angle = pos[:, None].float() * freq[None]
    cos, sin = angle.cos(), angle.sin()
    even, odd = x[..., 0::2], x[..., 1::2]
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], -1).flatten(-2)


def rms(x, weight, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


class Layer(torch.nn.Module):
    def __init__(self, C, H):
        super().__init__()
        self.heads = H
        self.attn_norm = torch.nn.Parameter(torch.ones(C))
        self.ffn_norm = torch.nn.Parameter(torch.ones(C))
        self.wqkv = torch.nn.Linear(C, 3 * C, bias=False)
        self.wo = torch.nn.Linear(C, C, bias=False)
        self.w1 = torch.nn.Linear(C, 4 * C, bias=False)
        self.w2 = torch.nn.Linear(4 * C, C, bias=False)

    def forward(self, x, pos, cache):
        B, T, C = x.shape
        H, D = self.heads, C // self.heads
        q, k, v = self.wqkv(rms(x, self.attn_norm)).view(B, T, 3, H, D).permute(2, 0, 3, 1, 4)
        q, k = rotate(q, pos), rotate(k, pos)
        if cache is not None:
            if cache:
                k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
            cache[:] = [k, v]
        scores = q @ k.transpose(-1, -2) / math.sqrt(D)
        if T > 1:
            S = k.shape[2]
            scores = scores.masked_fill(torch.ones(T, S, dtype=torch.bool).triu(S - T + 1), float('-inf'))
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.wo(y)
        return x + self.w2(F.silu(self.w1(rms(x, self.ffn_norm))))


class Policy(torch.nn.Module):
    def __init__(self, C, H, L):
        super().__init__()
        self.embed = torch.nn.Embedding(VOCAB, C)
        self.layers = torch.nn.ModuleList(Layer(C, H) for _ in range(L))
        self.norm = torch.nn.Parameter(torch.ones(C))
        self.head = torch.nn.Linear(C, VOCAB, bias=False)

    def forward(self, ids, pos, caches=None):
        x = self.embed(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, pos, None if caches is None else caches[i])
        return self.head(rms(x, self.norm))


def iteration(model, opt, prompts):
    B = prompts.shape[0]
    t0 = time.perf_counter()
    with torch.no_grad():
        caches = [[] for _ in model.layers]
        logits = model(prompts, torch.arange(PROMPT_LEN), caches)[:, -1]
        tokens, logps = [], []
        for s in range(NEW_TOKENS):
            p = torch.softmax(logits, -1)
            tok = torch.multinomial(p, 1)
            tokens.append(tok)
            logps.append(torch.log(p.gather(1, tok)))
            if s < NEW_TOKENS - 1:
                logits = model(tok, torch.tensor([PROMPT_LEN + s]), caches)[:, -1]
        completion, old = torch.cat(tokens, 1), torch.cat(logps, 1)
    t1 = time.perf_counter()
    reward = (completion[:, 0] % 2 == 0).float() + 0.1 * torch.rand(B)
    grouped = reward.view(PROMPTS, GROUP)
    adv = ((grouped - grouped.mean(1, keepdim=True)) / (grouped.std(1, keepdim=True) + 1e-4)).view(B, 1)
    full = torch.cat([prompts, completion], 1)
    logits = model(full[:, :-1], torch.arange(PROMPT_LEN + NEW_TOKENS - 1))[:, PROMPT_LEN - 1:]
    logp = torch.log_softmax(logits, -1).gather(2, completion[:, :, None])[..., 0]
    ratio = torch.exp(logp - old)
    loss = -torch.min(ratio * adv, ratio.clamp(0.8, 1.28) * adv).mean()
    opt.zero_grad()
    loss.backward()
    t2 = time.perf_counter()
    opt.step()
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


def build_info():
    """The BLAS and CPU capability this torch was built with: a build on generic BLAS multiplies far slower
    than one on MKL or OpenBLAS, which changes what a ratio against it means."""
    config = torch.__config__.show()
    pick = lambda key: (config.split(key, 1)[1].split(',')[0].split('\n')[0].strip() if key in config else 'unknown')
    return dict(blas=pick('BLAS_INFO='), cpu=pick('CPU capability usage:'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--C', type=int, default=64)
    ap.add_argument('--H', type=int, default=2)
    ap.add_argument('--L', type=int, default=2)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--iters', type=int, default=5)
    ap.add_argument('--serve', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Policy(a.C, a.H, a.L)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    prompts = torch.randint(0, VOCAB, (PROMPTS * GROUP, PROMPT_LEN))
    as_ms = lambda t: dict(rollout=1e3 * t[0], fwdbwd=1e3 * t[1], adamw=1e3 * t[2])
    if a.serve:
        print(json.dumps(dict(ready=True, threads=torch.get_num_threads(), torch=torch.__version__, build=build_info())), flush=True)
        for _ in sys.stdin:
            print(json.dumps(as_ms(iteration(model, opt, prompts))), flush=True)
        return
    times = [iteration(model, opt, prompts) for _ in range(WARMUP + a.iters)][WARMUP:]
    med = lambda xs: 1e3 * sorted(xs)[len(xs) // 2]
    ms = dict(rollout=med([t[0] for t in times]), fwdbwd=med([t[1] for t in times]), adamw=med([t[2] for t in times]))
    ms['iter'] = ms['rollout'] + ms['fwdbwd'] + ms['adamw']
    print(json.dumps(dict(ms, threads=a.threads, torch=torch.__version__)))


if __name__ == '__main__':
    main()
