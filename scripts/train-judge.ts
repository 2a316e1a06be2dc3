/**
 * Trains the default ONNX judge shipped in public/models/ with the project's own engine: a tiny transformer
 * fine-tuned to judge "abc>cbb?" for the reversal task with 3 letters (half the shown answers wrong: near
 * misses that swap two letters or change one). Like a J1 judge it reasons before its verdict, one position at a
 * time: the letter it expects, the letter shown, '=' or '!' — then ':' and Y or N ("cc=bb=ab!:N"). Each step only
 * compares neighbouring tokens; a direct Y/N classifier (or one that writes the whole expected answer first)
 * of this size stays at chance.
 * Exported with `exportOnnx`, plus its judge spec (src/rl/judges/modelJudge.ts contract).
 *   npm run train-judge   (writes public/models/reversal-judge.{onnx,json}; prints held-out accuracy)
 */
import { writeFile } from 'node:fs/promises';
import { createCpuBackend } from '../src/engine/backend/cpu';
import { createNodeWebGpuBackend } from '../src/node/gpu';
import { Graph } from '../src/engine/autograd';
import { Rng } from '../src/engine/rng';
import { presetConfig } from '../src/model/config';
import { exportOnnx } from '../src/model/onnx/exportOnnx';
import { DEFAULT_SFT, SftTrainer, type Demonstration } from '../src/model/sft';
import { CharTokenizer } from '../src/model/tokenizer';
import { Transformer } from '../src/model/transformer';
import { JUDGE_FORMAT, ModelJudge, type JudgeSpec } from '../src/rl/judges/modelJudge';

const SPEC: JudgeSpec = {
  format: JUDGE_FORMAT,
  alphabet: 'abcdefgh>?:=!YN',
  yes: 'Y',
  no: 'N',
  description: 'reversal of 3 letters: is "abc>cba" reversed correctly?',
};

const LETTERS = 'abcdefgh';

/** "abc>cbb?" → "cc=bb=ab!:N"; wrong answers swap two letters of the correct reversal or change one letter. */
function example(rng: Rng): Demonstration {
  const word = Array.from({ length: 3 }, () => LETTERS[rng.int(LETTERS.length)]).join('');
  const right = [...word].reverse();
  const shown = [...right];
  if (rng.uniform() < 0.5) {
    const i = rng.int(3);
    if (rng.uniform() < 0.5) [shown[i], shown[(i + 1) % 3]] = [shown[(i + 1) % 3], shown[i]];
    else shown[i] = LETTERS[(LETTERS.indexOf(shown[i]) + 1 + rng.int(LETTERS.length - 1)) % LETTERS.length];
  }
  const ok = shown.join('') === right.join('');
  const steps = right.map((ch, i) => `${ch}${shown[i]}${ch === shown[i] ? '=' : '!'}`).join('');
  return { prompt: `${word}>${shown.join('')}?`, completion: `${steps}:${ok ? 'Y' : 'N'}` };
}

async function main() {
  // WebGPU through Dawn when a driver is present (faster here), else the CPU backend.
  const be = await createNodeWebGpuBackend().catch(() => createCpuBackend());
  const tok = new CharTokenizer(SPEC.alphabet);
  const model = Transformer.init(be, presetConfig('tiny', tok.vocabSize, { contextLength: 32 }), 11);
  const steps = 1200;
  const trainer = new SftTrainer(be, model, tok, { ...DEFAULT_SFT, steps, lr: 5e-3, warmupSteps: 20 });
  const rng = new Rng(11, 1);
  for (let s = 0; s < steps; s++) {
    const m = await trainer.step(Array.from({ length: 64 }, () => example(rng)));
    if (s % 50 === 0) process.stderr.write(`step ${s} loss ${m.loss.toFixed(4)}\n`);
  }
  const test = new Rng(11, 2);
  let right = 0;
  const n = 300;
  const judge = new ModelJudge(SPEC, async (ids) => {
    const g = new Graph(be, false);
    const { logits } = model.forward(g, g.input(ids, [1, ids.length], 'i32'), g.input(ids.map((_, t) => t), [1, ids.length], 'i32'));
    const out = (await be.read(logits)) as Float32Array;
    g.dispose();
    return { logits: out, vocab: tok.vocabSize };
  });
  for (let i = 0; i < n; i++) {
    const ex = example(test);
    const v = await judge.score(ex.prompt.slice(0, ex.prompt.indexOf('>') + 1), ex.prompt.slice(ex.prompt.indexOf('>') + 1, -1));
    if ((v.score >= 0.5 ? 'Y' : 'N') === ex.completion.slice(-1)) right++;
  }
  await writeFile('public/models/reversal-judge.onnx', await exportOnnx(be, model));
  await writeFile('public/models/reversal-judge.json', JSON.stringify({ ...SPEC, heldOutAccuracy: right / n }, null, 2) + '\n');
  process.stdout.write(`${JSON.stringify({ heldOutAccuracy: right / n, n })}\n`);
}

void main();
