/**
 * A judge model as text in → text out: the judge reads a prompt in its format (J1 pair, step, pointwise) and
 * writes its reasoning and verdict. Adapters (onPolicy.ts, chunkReset.ts) parse the verdict from that text.
 */
import type { Backend } from '../../engine/backend';
import { generate } from '../../model/generate';
import { BOS, type CharTokenizer } from '../../model/tokenizer';
import type { Transformer } from '../../model/transformer';

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
