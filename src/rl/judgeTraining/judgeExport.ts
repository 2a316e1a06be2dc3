/**
 * A judge trained here (judgeModel.ts) as an ONNX judge (the contract in docs/judges.md): the model's graph from
 * exportOnnx plus the JSON spec naming its alphabet, its verdict characters and its reasoning budget. Loaded back
 * with ModelJudge (src/rl/judges/modelJudge.ts: `cli --judge`, the app's judge loader), it reads
 * `prompt + completion + "?"`, reasons greedily and scores P(yes) where its most likely next token is a verdict.
 * Shared by the judge trainers (StepWiser: yes "P", no "N"; J1-style pointwise judges: "Y", "N").
 */
import type { Backend } from '../../engine/backend';
import { exportOnnx } from '../../model/onnx/exportOnnx';
import { JUDGE_FORMAT, parseJudgeSpec, type JudgeSpec } from '../judges/modelJudge';
import type { JudgeModel } from './judgeModel';

export interface JudgeExportSettings {
  yes: string;
  no: string;
  description: string;
  /** Most reasoning tokens before the verdict (the judge's output budget). */
  maxThought: number;
}

export interface ExportedJudge {
  onnx: Uint8Array;
  spec: JudgeSpec;
  /** The spec as the `.json` file beside the `.onnx` one. */
  specText: string;
}

export async function exportJudge(be: Backend, judge: JudgeModel, s: JudgeExportSettings): Promise<ExportedJudge> {
  const specText = JSON.stringify({ format: JUDGE_FORMAT, alphabet: judge.tokenizer.alphabet, yes: s.yes, no: s.no, description: s.description, maxThought: s.maxThought }, null, 2);
  // Parsing our own spec checks it as a loader will (verdict characters in the alphabet, sizes) before anyone downloads it.
  const spec = parseJudgeSpec(specText);
  return { onnx: await exportOnnx(be, judge.model), spec, specText };
}
