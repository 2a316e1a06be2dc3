/** The theme store: the stored choice is read, applied at once and kept; anything unreadable means "system". */
import { describe, expect, it } from 'vitest';
import { createThemeStore, parseTheme, THEME_KEY, type Theme, type ThemeHost } from '../../src/store/themeStore';

/** A host over a Map, recording every theme applied to the page. */
function fakeHost(stored?: string) {
  const data = new Map<string, string>(stored === undefined ? [] : [[THEME_KEY, stored]]);
  const applied: Theme[] = [];
  const host: ThemeHost = {
    storage: { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) },
    apply: (t) => void applied.push(t),
  };
  return { host, data, applied };
}

describe('parseTheme', () => {
  it.each([
    ['light', 'light'],
    ['dark', 'dark'],
    ['system', 'system'],
    [null, 'system'],
    ['', 'system'],
    ['Dark', 'system'],
    ['"dark"', 'system'],
    ['sepia', 'system'],
  ] as const)('%j → %s', (value, theme) => {
    expect(parseTheme(value)).toBe(theme);
  });
});

describe('createThemeStore', () => {
  it('defaults to system and applies it when nothing is stored', () => {
    const { host, applied } = fakeHost();
    expect(createThemeStore(host).getState().theme).toBe('system');
    expect(applied).toEqual(['system']);
  });

  it('restores and applies a stored choice', () => {
    const { host, applied } = fakeHost('dark');
    expect(createThemeStore(host).getState().theme).toBe('dark');
    expect(applied).toEqual(['dark']);
  });

  it('falls back to system for a bad stored value', () => {
    const { host, applied } = fakeHost('{"theme":"dark"}');
    expect(createThemeStore(host).getState().theme).toBe('system');
    expect(applied).toEqual(['system']);
  });

  it('persists and applies a new choice, and a fresh store (a reload) reads it back', () => {
    const { host, data, applied } = fakeHost();
    createThemeStore(host).getState().setTheme('light');
    expect(data.get(THEME_KEY)).toBe('light');
    expect(applied).toEqual(['system', 'light']);
    expect(createThemeStore(host).getState().theme).toBe('light');
  });

  it('still works when storage throws (blocked by privacy settings) or is missing', () => {
    const blocked: ThemeHost = {
      storage: {
        getItem: () => {
          throw new DOMException('denied', 'SecurityError');
        },
        setItem: () => {
          throw new DOMException('full', 'QuotaExceededError');
        },
      },
      apply: () => {},
    };
    const store = createThemeStore(blocked);
    expect(store.getState().theme).toBe('system');
    store.getState().setTheme('dark');
    expect(store.getState().theme).toBe('dark');
    const none = createThemeStore({ storage: null, apply: () => {} });
    none.getState().setTheme('light');
    expect(none.getState().theme).toBe('light');
  });
});
