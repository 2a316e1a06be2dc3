/**
 * A frozen ONNX model as a judge. The I/O contract (docs/judges.md):
 *   input  `input_ids`  int64 [1, seq]: BOS, then the judge text `prompt + completion + "?"` in the judge's
 *                       alphabet, followed by what the judge has written so far
 *   output `logits`     float32 [1, seq, vocab]
 * The judge decodes greedily (at most `maxThought` tokens of reasoning, J1-style) until its most likely next
 * token is the `yes` or `no` character; the score is P(yes) from a two-way softmax of those two logits there,
 * and the reasoning it wrote is the rationale. A JSON sidecar {format, alphabet, yes, no} names the alphabet
 * (ids 0..2 are PAD/BOS/EOS) and the verdict characters. Any model exported by `cli export-onnx` and
 * fine-tuned to end its judgement with Y/N satisfies it.
 * The runtime is injected (onnxruntime-web in the browser, onnxruntime-node in Node), so this file has no
 * dependency on either.
 */
import * as z from 'zod';
import { MODEL_LIMITS } from '../../model/config';
import { BOS, CharTokenizer, SPECIAL_TOKENS } from '../../model/tokenizer';
import { intIn, numIn, options, problemsOf, reservedKeyProblems, show, text, whenValid } from '../../model/validation';
import { verdict, type Verdict } from './verdict';

export const JUDGE_FORMAT = 'grpo-playground/onnx-judge@1';

export interface JudgeSpec {
  format: typeof JUDGE_FORMAT;
  alphabet: string;
  yes: string;
  no: string;
  /** What the judge was trained to recognise (shown in the UI). */
  description?: string;
  /** Most reasoning tokens before the verdict (default 16). */
  maxThought?: number;
}

/** Run the ONNX model on one id sequence; returns the flat logits [seq · vocab] and the vocabulary size. */
export type RunLogits = (ids: number[]) => Promise<{ logits: Float32Array; vocab: number }>;

/** Bounds of a judge spec: its alphabet must fit a model's vocabulary, its texts are shown in the page. */
export const JUDGE_SPEC_LIMITS = { alphabetChars: MODEL_LIMITS.vocabSize - SPECIAL_TOKENS, descriptionChars: 500, maxThought: 256, specChars: 65_536 } as const;

const oneChar = z.string({ error: (iss) => `must be one character (got ${show(iss.input)})` }).refine((c) => [...c].length === 1, { error: (iss) => `must be one character (got ${show(iss.input)})` });

const JudgeSpecSchema = options({
  format: z.literal(JUDGE_FORMAT, { error: (iss) => `has format ${show(iss.input)}, expected ${JUDGE_FORMAT}` }),
  alphabet: text(JUDGE_SPEC_LIMITS.alphabetChars).refine((a) => new Set(a).size === [...a].length, { error: 'repeats a character' }),
  yes: oneChar,
  no: oneChar,
  description: text(JUDGE_SPEC_LIMITS.descriptionChars).optional(),
  maxThought: intIn(0, JUDGE_SPEC_LIMITS.maxThought).optional(),
  /** Written by scripts/train-judge.ts; shown nowhere, kept for the record. */
  heldOutAccuracy: numIn(0, 1).optional(),
}).check(
  z.superRefine(
    (spec, ctx) => {
      if (![...spec.alphabet].includes(spec.yes) || ![...spec.alphabet].includes(spec.no)) {
        ctx.addIssue({ code: 'custom', path: [], message: `the verdict characters "${spec.yes}"/"${spec.no}" are not in its alphabet` });
      } else if (spec.yes === spec.no) ctx.addIssue({ code: 'custom', path: ['no'], message: 'must differ from yes' });
    },
    { when: whenValid('alphabet', 'yes', 'no') },
  ),
);

export function parseJudgeSpec(json: string): JudgeSpec {
  if (json.length > JUDGE_SPEC_LIMITS.specChars) throw new Error(`judge spec is more than ${JUDGE_SPEC_LIMITS.specChars} characters`);
  let spec: unknown;
  try {
    spec = JSON.parse(json);
  } catch (e) {
    throw new Error(`judge spec is not valid JSON (${(e as Error).message})`);
  }
  const problems = [...reservedKeyProblems(spec), ...problemsOf(JudgeSpecSchema.safeParse(spec))];
  if (problems.length) throw new Error(`judge spec: ${problems.join('; ')}`);
  return JudgeSpecSchema.parse(spec);
}

export class ModelJudge {
  private readonly tok: CharTokenizer;
  private readonly yesId: number;
  private readonly noId: number;

  constructor(
    readonly spec: JudgeSpec,
    private readonly run: RunLogits,
    /** The longest id sequence the model accepts (exported models have fixed position tables). */
    readonly maxSequence = Number.POSITIVE_INFINITY,
  ) {
    this.tok = new CharTokenizer(spec.alphabet);
    [this.yesId] = this.tok.encode(spec.yes);
    [this.noId] = this.tok.encode(spec.no);
  }

  /**
   * Run the model once on a short sequence and check what it returns against the spec, so a wrong model or spec
   * is refused when it is loaded rather than in the middle of a training step.
   */
  async check(): Promise<void> {
    await this.lastRow([BOS, this.yesId]);
  }

  /** Characters of `text` the judge cannot read (outside its alphabet), each once. */
  unknownChars(text: string): string[] {
    const known = new Set(this.spec.alphabet);
    return [...new Set(text)].filter((ch) => !known.has(ch));
  }

  /** The logits at the last position of `ids`, after checking the model's output against the spec. */
  private async lastRow(ids: number[]): Promise<Float32Array> {
    const { logits, vocab } = await this.run(ids);
    if (vocab !== this.tok.vocabSize) {
      throw new Error(`judge model has ${vocab} output tokens but its spec's alphabet gives ${this.tok.vocabSize}: wrong model or spec`);
    }
    if (logits.length !== ids.length * vocab) throw new Error(`judge model returned ${logits.length} logits for ${ids.length} tokens × ${vocab}`);
    return logits.subarray((ids.length - 1) * vocab, ids.length * vocab);
  }

  /** P(yes) for a prompt and completion; characters outside the judge's alphabet are a clear error. */
  async score(prompt: string, completion: string): Promise<Verdict> {
    const text = `${prompt}${completion}?`;
    const ids = [BOS, ...this.tok.encode(text)];
    if (ids.length > this.maxSequence) {
      return verdict(0, 'too long', `the judge reads at most ${this.maxSequence} tokens; this prompt and completion need ${ids.length}`, { tokens: ids.length });
    }
    const thought: number[] = [];
    for (let step = 0; step <= (this.spec.maxThought ?? 16) && ids.length <= this.maxSequence; step++) {
      const row = await this.lastRow(ids);
      let best = 0;
      for (let v = 1; v < row.length; v++) if (row[v] > row[best]) best = v;
      if (best === this.yesId || best === this.noId) {
        const p = 1 / (1 + Math.exp(row[this.noId] - row[this.yesId]));
        const why = `model judge wrote "${this.tok.decode(thought)}", then P(${this.spec.yes}) = ${p.toFixed(3)}`;
        return verdict(p, p >= 0.5 ? 'accept' : 'reject', why, { pYes: p, thoughtTokens: thought.length });
      }
      thought.push(best);
      ids.push(best);
    }
    return verdict(0, 'no verdict', `model judge wrote "${this.tok.decode(thought)}" without reaching a verdict`, { thoughtTokens: thought.length });
  }
}

/** Longest sequence probed: enough for any character-level judge this app can feed. */
const PROBE_LIMIT = 4096;

/**
 * The longest input the model runs on. Exported models carry position tables of a fixed length and fail beyond
 * it, with an error that would otherwise surface mid-training: double until a run fails, then bisect.
 */
async function longestSequence(fits: (n: number) => Promise<boolean>): Promise<number> {
  let ok = 2;
  let bad = 0;
  for (let n = 8; n <= PROBE_LIMIT && !bad; n *= 2) {
    if (await fits(n)) ok = n;
    else bad = n;
  }
  if (!bad) return ok;
  while (bad - ok > 1) {
    const mid = (ok + bad) >> 1;
    if (await fits(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}

/**
 * A judge ready for training: its model checked against the spec with one run, and its longest accepted
 * sequence found by probing, so neither surfaces as an error half-way through a training step.
 */
export async function checkedJudge(spec: JudgeSpec, run: RunLogits): Promise<ModelJudge> {
  await new ModelJudge(spec, run).check();
  const maxSequence = await longestSequence((n) => run(Array.from({ length: n }, () => BOS)).then(() => true, () => false));
  return new ModelJudge(spec, run, maxSequence);
}
