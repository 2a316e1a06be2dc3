/** Minimal `--flag value` parsing with one-line errors (the CLI exits 2 on a UsageError). */

export class UsageError extends Error {
  override name = 'UsageError';
}

export class Flags {
  private readonly values = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(argv: string[]) {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (!a.startsWith('-')) throw new UsageError(`unexpected argument "${a}"`);
      const name = a.replace(/^--?/, '');
      const value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value`);
      this.values.set(name, value);
      i++;
    }
  }

  string(name: string, fallback?: string): string {
    this.used.add(name);
    const v = this.values.get(name) ?? fallback;
    if (v === undefined) throw new UsageError(`missing --${name}`);
    return v;
  }

  optional(name: string): string | undefined {
    this.used.add(name);
    return this.values.get(name);
  }

  number(name: string, fallback?: number, opts: { int?: boolean; min?: number; max?: number } = {}): number {
    const raw = this.string(name, fallback === undefined ? undefined : String(fallback));
    const v = Number(raw);
    const { int = false, min = -Infinity, max = Infinity } = opts;
    if (!Number.isFinite(v) || (int && !Number.isInteger(v)) || v < min || v > max) {
      throw new UsageError(`--${name} must be ${int ? 'an integer' : 'a number'} in [${min}, ${max}], got "${raw}"`);
    }
    return v;
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback?: T): T {
    const v = this.string(name, fallback);
    if (!choices.includes(v as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${v}"`);
    return v as T;
  }

  /** Throw on flags no command read (typos). */
  assertAllUsed(): void {
    const unknown = [...this.values.keys()].filter((k) => !this.used.has(k));
    if (unknown.length) throw new UsageError(`unknown option ${unknown.map((k) => `--${k}`).join(', ')}`);
  }
}
