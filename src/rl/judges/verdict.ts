/** What every verifier and judge returns: a score, a short label, a human-readable reason, and named parts. */
export interface Verdict {
  score: number;
  label: string;
  rationale: string;
  parts: Record<string, number>;
}

export function verdict(score: number, label: string, rationale: string, parts: Record<string, number> = {}): Verdict {
  return { score, label, rationale, parts };
}
