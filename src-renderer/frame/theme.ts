/**
 * Light and dark themes: the system's `prefers-color-scheme` unless the owner picked one, which is
 * kept in localStorage. The choice is applied as `data-theme` on <html>; styles.css defines the
 * colour variables for both.
 */

/** A theme the owner can pick. */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'reins.theme';

/** Where the theme is applied: <html> (anything with a dataset). */
interface ThemeRoot {
  dataset: Record<string, string | undefined>;
}

/** The theme the owner picked, or null to follow the system. */
export function storedTheme(storage: Pick<Storage, 'getItem'>): Theme | null {
  const value = storage.getItem(STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : null;
}

/** The theme on screen: the picked one, else the system's. */
export function effectiveTheme(picked: Theme | null, systemPrefersDark: boolean): Theme {
  return picked ?? (systemPrefersDark ? 'dark' : 'light');
}

/** Applies `theme` to the document and remembers it. */
export function applyTheme(theme: Theme, root: ThemeRoot, storage: Pick<Storage, 'setItem'>): void {
  root.dataset.theme = theme;
  storage.setItem(STORAGE_KEY, theme);
}

/** Applies a remembered choice at start (before the first paint of the app). */
export function restoreTheme(root: ThemeRoot, storage: Pick<Storage, 'getItem'>): void {
  const picked = storedTheme(storage);
  if (picked) root.dataset.theme = picked;
}
