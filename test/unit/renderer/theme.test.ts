import { describe, expect, it } from 'vitest';
import { applyTheme, effectiveTheme, restoreTheme, storedTheme } from '../../../src-renderer/frame/theme.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const values = new Map<string, string>();
  return { getItem: (key) => values.get(key) ?? null, setItem: (key, value) => void values.set(key, value) };
}

describe('the theme', () => {
  it('follows the system until one is picked, and remembers the pick', () => {
    const storage = memoryStorage();
    expect(storedTheme(storage)).toBeNull();
    expect(effectiveTheme(null, true)).toBe('dark');
    expect(effectiveTheme(null, false)).toBe('light');

    const root = { dataset: {} as Record<string, string | undefined> };
    applyTheme('light', root, storage);
    expect(root.dataset.theme).toBe('light');
    expect(effectiveTheme(storedTheme(storage), true)).toBe('light');

    const fresh = { dataset: {} as Record<string, string | undefined> };
    restoreTheme(fresh, storage);
    expect(fresh.dataset.theme).toBe('light');
  });

  it('ignores a stored value that is not a theme', () => {
    const storage = memoryStorage();
    storage.setItem('reins.theme', 'purple');
    expect(storedTheme(storage)).toBeNull();
  });
});
