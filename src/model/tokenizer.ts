/**
 * Character-level tokenizer over a task's alphabet. Ids 0..2 are the specials PAD, BOS, EOS; characters follow
 * in alphabet order, so a vocabulary is fully described by its alphabet string (stored in checkpoints).
 */

export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
/** PAD, BOS and EOS come before the alphabet's characters. */
export const SPECIAL_TOKENS = 3;

export class CharTokenizer {
  private readonly index = new Map<string, number>();

  constructor(readonly alphabet: string) {
    const chars = [...alphabet];
    chars.forEach((ch, i) => {
      if (this.index.has(ch)) throw new Error(`tokenizer: alphabet repeats the character ${JSON.stringify(ch)}`);
      this.index.set(ch, SPECIAL_TOKENS + i);
    });
  }

  get vocabSize(): number {
    return SPECIAL_TOKENS + this.index.size;
  }

  /** Ids of `text`; throws naming the first character outside the alphabet. */
  encode(text: string): number[] {
    return [...text].map((ch, i) => {
      const id = this.index.get(ch);
      if (id === undefined) throw new Error(`tokenizer: character ${JSON.stringify(ch)} at position ${i} is not in the vocabulary`);
      return id;
    });
  }

  /** Text of ids, skipping PAD/BOS and stopping at the first EOS. */
  decode(ids: ArrayLike<number>): string {
    const chars = [...this.alphabet];
    let out = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === EOS) break;
      if (id >= SPECIAL_TOKENS && id < this.vocabSize) out += chars[id - SPECIAL_TOKENS];
    }
    return out;
  }

  /** Display form of one token (specials as <pad>, <bos>, <eos>). */
  tokenText(id: number): string {
    if (id === PAD) return '<pad>';
    if (id === BOS) return '<bos>';
    if (id === EOS) return '<eos>';
    return [...this.alphabet][id - SPECIAL_TOKENS] ?? `<${id}>`;
  }
}
