import { useEffect, useState } from 'react';
import { applyTheme, effectiveTheme, restoreTheme, storedTheme, type Theme } from './theme.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

// A picked theme is applied as soon as this module loads, before the app renders (main.tsx first
// waits for the connection), so the window does not flash in the system's theme.
restoreTheme(document.documentElement, window.localStorage);

/** Follows the system's colour scheme while the owner has not picked a theme. */
function useSystemDark(): boolean {
  const [dark, setDark] = useState(() => window.matchMedia(DARK_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK_QUERY);
    const onChange = (): void => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return dark;
}

/** One button switching between light and dark; the choice is remembered in this browser. */
export function ThemeToggle() {
  const systemDark = useSystemDark();
  const [picked, setPicked] = useState<Theme | null>(() => storedTheme(window.localStorage));
  const theme = effectiveTheme(picked, systemDark);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        applyTheme(next, document.documentElement, window.localStorage);
        setPicked(next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
