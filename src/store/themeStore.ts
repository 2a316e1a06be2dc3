/**
 * The colour theme: light, dark, or whatever the OS asks for (the default). The choice is kept in localStorage and
 * shown as `data-theme` on <html>, where styles.css picks the palette; the store only records and applies it.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';

export type Theme = 'system' | 'light' | 'dark';

export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

export const THEME_KEY = 'grpo-playground.theme';

/** A stored value as a theme; anything else (missing, stale, hand-edited) means the OS's choice. */
export function parseTheme(value: string | null): Theme {
  return THEMES.find((t) => t === value) ?? 'system';
}

export interface ThemeStore {
  theme: Theme;
  setTheme(theme: Theme): void;
}

/** Where the choice is kept and shown; passed in so the store runs in tests without a DOM. */
export interface ThemeHost {
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  apply(theme: Theme): void;
}

/** Reads the stored choice and applies it at once, so the first render already has the right palette. */
export function createThemeStore(host: ThemeHost): StoreApi<ThemeStore> {
  let initial: Theme = 'system';
  try {
    initial = parseTheme(host.storage?.getItem(THEME_KEY) ?? null);
  } catch {
    // Storage blocked by the browser's privacy settings: fall back to the OS's choice.
  }
  host.apply(initial);
  return createStore<ThemeStore>()((set) => ({
    theme: initial,
    setTheme(theme) {
      set({ theme });
      host.apply(theme);
      try {
        host.storage?.setItem(THEME_KEY, theme);
      } catch {
        // Blocked or full storage: the choice still holds for this visit.
      }
    },
  }));
}

/** localStorage, or null where merely touching it throws (storage disabled for the site). */
function pageStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let store: StoreApi<ThemeStore> | undefined;

export function themeStore(): StoreApi<ThemeStore> {
  store ??= createThemeStore({ storage: pageStorage(), apply: (theme) => document.documentElement.setAttribute('data-theme', theme) });
  return store;
}

export function useTheme<T>(selector: (s: ThemeStore) => T): T {
  return useStore(themeStore(), selector);
}
