/**
 * Exact polynomial arithmetic in one variable over the rationals (BigInt fractions), and a parser for the
 * surface forms people write: "3x^2 - (x+1)*2", "2*x*x", "x(x-1)", "-x^3+ 1/2x". Two answers are equivalent
 * when their normal forms are equal — exact, no sampling error (Principia-style equivalence of math objects).
 */

export class Rational {
  readonly n: bigint;
  readonly d: bigint;
  constructor(n: bigint, d: bigint = 1n) {
    if (d === 0n) throw new Error('division by zero');
    const sign = d < 0n ? -1n : 1n;
    const g = gcd(n < 0n ? -n : n, d < 0n ? -d : d) || 1n;
    this.n = (sign * n) / g;
    this.d = (sign * d) / g;
  }
  add(o: Rational) {
    return new Rational(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  mul(o: Rational) {
    return new Rational(this.n * o.n, this.d * o.d);
  }
  neg() {
    return new Rational(-this.n, this.d);
  }
  isZero() {
    return this.n === 0n;
  }
  toString() {
    return this.d === 1n ? `${this.n}` : `${this.n}/${this.d}`;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Polynomial as degree → coefficient, zero coefficients removed. */
export type Poly = Map<number, Rational>;

function clean(p: Poly): Poly {
  for (const [k, v] of p) if (v.isZero()) p.delete(k);
  return p;
}

export function addPoly(a: Poly, b: Poly): Poly {
  const out: Poly = new Map(a);
  for (const [k, v] of b) out.set(k, (out.get(k) ?? new Rational(0n)).add(v));
  return clean(out);
}

export function mulPoly(a: Poly, b: Poly): Poly {
  const out: Poly = new Map();
  for (const [i, x] of a) for (const [j, y] of b) out.set(i + j, (out.get(i + j) ?? new Rational(0n)).add(x.mul(y)));
  return clean(out);
}

export function polyEquals(a: Poly, b: Poly): boolean {
  const diff = addPoly(a, new Map([...b].map(([k, v]) => [k, v.neg()])));
  return diff.size === 0;
}

/** Canonical text, highest degree first: "3x^2-x+1/2". */
export function formatPoly(p: Poly): string {
  const terms = [...p].sort((a, b) => b[0] - a[0]);
  if (!terms.length) return '0';
  return terms
    .map(([k, c], i) => {
      const neg = c.n < 0n;
      const abs = neg ? c.neg() : c;
      const coef = k > 0 && abs.n === 1n && abs.d === 1n ? '' : abs.toString();
      const body = k === 0 ? abs.toString() : `${coef}x${k > 1 ? `^${k}` : ''}`;
      return `${neg ? '-' : i > 0 ? '+' : ''}${body}`;
    })
    .join('');
}

const constant = (r: Rational): Poly => clean(new Map([[0, r]]));

/** Parse a polynomial in x; throws with the position of the first problem. */
export function parsePoly(text: string): Poly {
  const src = text.replace(/\s+/g, '');
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`${msg} at position ${i} of "${src}"`);
  };
  const peek = () => src[i];
  // sum := term (('+'|'-') term)*
  const sum = (): Poly => {
    let acc = term();
    while (peek() === '+' || peek() === '-') {
      const op = src[i++];
      const t = term();
      acc = addPoly(acc, op === '+' ? t : mulPoly(t, constant(new Rational(-1n))));
    }
    return acc;
  };
  // term := unary (('*'|'/'|implicit) unary)*
  const term = (): Poly => {
    let acc = unary();
    for (;;) {
      if (peek() === '*') {
        i++;
        acc = mulPoly(acc, unary());
      } else if (peek() === '/') {
        i++;
        const den = unary();
        if (den.size !== 1 || !den.has(0)) fail('only division by a constant is allowed');
        const c = den.get(0)!;
        acc = mulPoly(acc, constant(new Rational(c.d, c.n)));
      } else if (peek() === 'x' || peek() === '(') acc = mulPoly(acc, unary());
      else return acc;
    }
  };
  const unary = (): Poly => {
    if (peek() === '-') {
      i++;
      return mulPoly(unary(), constant(new Rational(-1n)));
    }
    if (peek() === '+') {
      i++;
      return unary();
    }
    return power();
  };
  const power = (): Poly => {
    const base = atom();
    if (peek() !== '^') return base;
    i++;
    const m = /^\d+/.exec(src.slice(i));
    if (!m) fail('expected a whole-number exponent');
    i += m![0].length;
    const e = Number(m![0]);
    if (e > 64) fail('exponent too large');
    let out: Poly = constant(new Rational(1n));
    for (let k = 0; k < e; k++) out = mulPoly(out, base);
    return out;
  };
  const atom = (): Poly => {
    const ch = peek();
    if (ch === undefined) return fail('unexpected end');
    if (ch === '(') {
      i++;
      const inner = sum();
      if (peek() !== ')') fail('expected ")"');
      i++;
      return inner;
    }
    if (ch === 'x') {
      i++;
      return new Map([[1, new Rational(1n)]]);
    }
    const m = /^\d+/.exec(src.slice(i));
    if (!m) return fail(`unexpected "${ch}"`);
    i += m[0].length;
    return constant(new Rational(BigInt(m[0])));
  };
  const result = sum();
  if (i !== src.length) fail(`unexpected "${src[i]}"`);
  return result;
}
