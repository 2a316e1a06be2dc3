/** Share links keep the URL's own run settings and only switch the embed flag; a bare URL gets the config in full. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUN } from '../../src/rl/runConfig';
import { shareLink } from '../../src/store/shareLink';
import { decodeHash, encodeHash } from '../../src/store/urlState';

const page = 'http://localhost:4173/';
const cfg = { ...DEFAULT_RUN, seed: 42 };

describe('shareLink', () => {
  it('keeps the run settings of the page URL, adding or removing embed=1', () => {
    const plain = page + encodeHash(cfg, false);
    expect(shareLink(plain, DEFAULT_RUN, false)).toBe(plain);
    const embed = shareLink(plain, DEFAULT_RUN, true);
    expect(embed).toBe(page + encodeHash(cfg, true));
    expect(decodeHash(new URL(embed).hash)).toEqual({ config: cfg, embed: true, error: null, presetId: null });
    expect(shareLink(embed, DEFAULT_RUN, false)).toBe(plain);
  });

  it('spells out the running config when the URL has no run settings', () => {
    expect(shareLink(page, cfg, false)).toBe(page + encodeHash(cfg, false));
    expect(shareLink(`${page}#embed=1`, cfg, true)).toBe(page + encodeHash(cfg, true));
  });

  it('keeps the path and query of the page', () => {
    const link = shareLink('https://example.org/play/?x=1#run=abc', cfg, true);
    expect(link).toBe('https://example.org/play/?x=1#run=abc&embed=1');
  });
});
