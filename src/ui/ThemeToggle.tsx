/** Light, dark, or the OS's choice, as a segmented radio group in the header. */
import { THEMES, themeStore, useTheme, type Theme } from '../store/themeStore';

const LABEL: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export function ThemeToggle() {
  const theme = useTheme((s) => s.theme);
  return (
    <div role="radiogroup" aria-label="Theme" className="segmented">
      {THEMES.map((t) => (
        <label key={t}>
          <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => themeStore().getState().setTheme(t)} />
          {LABEL[t]}
        </label>
      ))}
    </div>
  );
}
