import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

// The core and the daemon host must run under plain Node, where `require('electron')` throws (it
// tries to download a binary). These run them in a fresh `node` process, outside vitest's loader.

const root = resolve(import.meta.dirname, '..', '..');

/** Imports the given entry files in a child `node` and reports every specifier resolved on the way. */
const LOAD_AND_TRACE = `
import { registerHooks } from 'node:module';
const specifiers = new Set();
registerHooks({ resolve(specifier, context, next) { specifiers.add(specifier); return next(specifier, context); } });
const exported = {};
for (const url of process.argv.slice(1)) {
  const module = await import(url);
  for (const [name, value] of Object.entries(module)) exported[name] = typeof value;
}
process.stdout.write(JSON.stringify({ specifiers: [...specifiers], exported }));
`;

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.reverse()) step();
  cleanup = [];
});

describe('plain-Node host', () => {
  it('loads src-main/core and src-main/daemon without resolving electron', () => {
    const entries = ['src-main/core/index.ts', 'src-main/daemon/index.ts'].map((file) => pathToFileURL(join(root, file)).href);
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', LOAD_AND_TRACE, ...entries], {
      cwd: root,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const trace = JSON.parse(result.stdout) as { specifiers: string[]; exported: Record<string, string> };
    expect(trace.exported).toMatchObject({ createCore: 'function', startDaemon: 'function' });
    expect(trace.specifiers).toContain('better-sqlite3');
    expect(trace.specifiers.filter((specifier) => /^electron(\/|$)/.test(specifier))).toEqual([]);
  });

  it('runs `reins daemon` under plain Node: answers health, writes runtime.json 0600, cleans up on SIGTERM', async () => {
    const dir = tempDir('reins-plain-node-');
    cleanup.push(() => dir.remove());
    const home = join(dir.path, 'home');
    const child: ChildProcess = spawn(process.execPath, [join(root, 'src-main', 'cli', 'main.ts'), 'daemon', '--home', home, '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REINS_LOG_LEVEL: 'warn' },
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    cleanup.push(() => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const runtimePath = join(home, 'runtime.json');
    const runtime = await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`the daemon exited with ${child.exitCode}: ${stderr}`);
      return existsSync(runtimePath) ? (JSON.parse(readFileSync(runtimePath, 'utf8')) as { url: string; pid: number }) : undefined;
    }, 'runtime.json from the daemon');
    expect(statSync(runtimePath).mode & 0o777).toBe(0o600);
    expect(runtime.pid).toBe(child.pid);
    const health = (await (await fetch(`${runtime.url}/api/v1/health`)).json()) as { ok: boolean; pid: number };
    expect(health).toMatchObject({ ok: true, pid: child.pid });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(runtimePath)).toBe(false);
  });
});
