/**
 * A judge model as text in → text out: the judge reads a prompt in its format (J1 pair, step, pointwise) and
 * writes its reasoning and verdict. Adapters (onPolicy.ts, chunkReset.ts) parse the verdict from that text.
 */
import type { Backend } from '../../engine/backend';
import { generate } from '../../model/generate';
import { BOS, EOS, type CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';
import type { RunLogits } from '../judges/modelJudge';

export type TextJudge = (judgePrompt: string) => Promise<string>;

/** A trained judge model decoding greedily: at most `maxNewTokens`, fewer where its context runs out. */
export function modelTextJudge(be: Backend, model: Transformer, tok: CharTokenizer, maxNewTokens: number): TextJudge {
  return async (judgePrompt) => {
    const ids = [BOS, ...tok.encode(judgePrompt)];
    const room = Math.min(maxNewTokens, model.config.contextLength - ids.length);
    if (room < 1) throw new Error(`judge: the prompt needs ${ids.length} of the judge's ${model.config.contextLength} context tokens, leaving none to answer`);
    const [r] = await generate(be, model, [ids], { maxNewTokens: room, temperature: 1, topK: 0, topP: 1, greedy: true, seed: 0 });
    return tok.decode(r.tokens);
  };
}

/**
 * An exported judge (an ONNX file run by onnxruntime, or any `RunLogits`) as text in → text out: the same greedy
 * decoding as modelTextJudge, one full forward per token, so a judge trained here gives the same verdicts after
 * export (tests/rl/judgeTraining/judgeOnnx.test.ts).
 */
export function logitsTextJudge(run: RunLogits, tok: CharTokenizer, maxNewTokens: number, contextLength: number): TextJudge {
  return async (judgePrompt) => {
    const ids = [BOS, ...tok.encode(judgePrompt)];
    const room = Math.min(maxNewTokens, contextLength - ids.length);
    if (room < 1) throw new Error(`judge: the prompt needs ${ids.length} of the judge's ${contextLength} context tokens, leaving none to answer`);
    const written: number[] = [];
    for (let s = 0; s < room; s++) {
      const { logits, vocab } = await run(ids);
      if (vocab !== tok.vocabSize) throw new Error(`judge model has ${vocab} output tokens but its alphabet gives ${tok.vocabSize}: wrong model or alphabet`);
      const row = logits.subarray((ids.length - 1) * vocab, ids.length * vocab);
      let best = 0;
      for (let v = 1; v < vocab; v++) if (row[v] > row[best]) best = v;
      if (best === EOS) break;
      written.push(best);
      ids.push(best);
    }
    return tok.decode(written);
  };
}
