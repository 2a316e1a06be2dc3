/** Tolerance comparison with a readable failure: |got − want| <= atol + rtol·|want|, first mismatches listed. */

export interface Tolerance {
  atol: number;
  rtol: number;
}

export function mismatches(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance): string | null {
  if (got.length !== want.length) return `length ${got.length} vs expected ${want.length}`;
  const bad: string[] = [];
  let count = 0;
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    const diff = Math.abs(g - w);
    const ok = Number.isNaN(w) ? Number.isNaN(g) : g === w || diff <= tol.atol + tol.rtol * Math.abs(w);
    if (!ok) {
      count++;
      if (bad.length < 5) bad.push(`  [${i}] got ${g} want ${w} (diff ${diff.toExponential(2)})`);
    }
    if (Number.isFinite(diff)) maxDiff = Math.max(maxDiff, diff);
  }
  if (count === 0) return null;
  return `${count}/${want.length} mismatches (atol ${tol.atol}, rtol ${tol.rtol}, max diff ${maxDiff.toExponential(2)}):\n${bad.join('\n')}`;
}

export function assertClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance): void {
  const msg = mismatches(got, want, tol);
  if (msg) throw new Error(`${what}: ${msg}`);
}
