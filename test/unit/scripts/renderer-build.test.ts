import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererStaleReason } from '../../../scripts/lib/renderer-build.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

// A scratch checkout: renderer sources and, when a test says so, a built out/renderer, with set mtimes.
let dir: { path: string; remove(): void };
const at = (seconds: number): Date => new Date(1_800_000_000_000 + seconds * 1000);

function file(rel: string, seconds: number): void {
  const path = join(dir.path, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, at(seconds), at(seconds));
}

beforeEach(() => {
  dir = tempDir('reins-renderer-build-');
  file('src-renderer/main.tsx', 10);
  file('src-renderer/features/x/view.tsx', 20);
  file('src-main/client/api-client.ts', 10);
  file('vite.config.ts', 5);
});
afterEach(() => dir.remove());

describe('rendererStaleReason', () => {
  it('wants a build when out/renderer is missing', () => {
    expect(rendererStaleReason(dir.path)).toBe('it has not been built yet');
  });

  it('is content when the build is newer than every source', () => {
    file('out/renderer/index.html', 30);
    expect(rendererStaleReason(dir.path)).toBeNull();
  });

  it('wants a build when any source, however deep, is newer', () => {
    file('out/renderer/index.html', 30);
    file('src-renderer/features/x/deeper/new.tsx', 31);
    expect(rendererStaleReason(dir.path)).toBe('src-renderer changed since the last build');
    file('out/renderer/index.html', 40);
    file('src-main/client/api-client.ts', 41);
    expect(rendererStaleReason(dir.path)).toBe('src-main/client changed since the last build');
  });
});

describe('ensureRendererBuilt', () => {
  it('runs vite once with a one-line notice when stale, and nothing when fresh', async () => {
    const runs: string[][] = [];
    const lines: string[] = [];
    const run = async (command: string, args: readonly string[]) => {
      runs.push([command, ...args]);
      return 0;
    };
    expect(await ensureRendererBuilt(dir.path, run, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['building the window (vite → out/renderer), as it has not been built yet…']);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.slice(1)).toEqual([
      join(dir.path, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(dir.path, 'vite.config.ts'),
      '--logLevel',
      'warn',
    ]);

    file('out/renderer/index.html', 50);
    expect(await ensureRendererBuilt(dir.path, run, (l) => lines.push(l))).toBe(0);
    expect(runs).toHaveLength(1);
    expect(lines).toHaveLength(1);
  });

  it('passes a failed build on', async () => {
    expect(
      await ensureRendererBuilt(
        dir.path,
        async () => 2,
        () => {},
      ),
    ).toBe(2);
  });
});
