/**
 * A private data directory: a real `reins daemon` started under `umask 000` writes nothing that
 * another user can read (database, WAL, SHM, log, runtime file, lock, folders), and an existing
 * directory left readable by others is tightened at start with a warning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
let child: ChildProcess | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  dir?.remove();
  dir = undefined;
});

/** `reins daemon` under umask 000; resolves once it answers, with its stderr so far. */
async function daemon(home: string): Promise<() => string> {
  const env = { ...process.env, REINS_LOG_LEVEL: 'warn' };
  child = spawn('/bin/sh', ['-c', 'umask 000; exec "$0" "$@"', process.execPath, CLI, 'daemon', '--home', home, '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  await waitFor(() => existsSync(join(home, 'runtime.json')) && existsSync(join(home, 'reins.db-wal')), `the daemon up (stderr: ${stderr})`, 20_000);
  return () => stderr;
}

/** Every file and folder under `root` with its permission bits (symbolic links skipped). */
function modes(root: string): Array<{ path: string; mode: string; dir: boolean }> {
  const out: Array<{ path: string; mode: string; dir: boolean }> = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      let st;
      try {
        st = lstatSync(p);
      } catch {
        continue; // A temporary file renamed into place while we looked.
      }
      if (st.isSymbolicLink()) continue;
      out.push({ path: p.slice(root.length + 1), mode: (st.mode & 0o777).toString(8), dir: st.isDirectory() });
      if (st.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

describe('the data directory is private', () => {
  it('everything a daemon writes under umask 000 is 0600, folders 0700', async () => {
    dir = tempDir('reins-modes-');
    const home = join(dir.path, 'home');
    await daemon(home);
    expect((lstatSync(home).mode & 0o777).toString(8)).toBe('700');
    const all = modes(home);
    expect(all.map((e) => e.path)).toEqual(
      expect.arrayContaining(['reins.db', 'reins.db-wal', 'reins.db-shm', 'runtime.json', 'reins.lock', 'logs', 'logs/reins.log']),
    );
    for (const e of all) expect(`${e.path} ${e.mode}`).toBe(`${e.path} ${e.dir ? '700' : '600'}`);
  });

  it('an existing data directory readable by others is tightened at start, with a warning', async () => {
    dir = tempDir('reins-modes-');
    const home = join(dir.path, 'home');
    mkdirSync(join(home, 'logs'), { recursive: true });
    writeFileSync(join(home, 'reins.db'), '');
    writeFileSync(join(home, 'logs', 'reins.log'), 'old\n');
    chmodSync(home, 0o755);
    chmodSync(join(home, 'logs'), 0o755);
    chmodSync(join(home, 'reins.db'), 0o644);
    chmodSync(join(home, 'logs', 'reins.log'), 0o644);
    const stderr = await daemon(home);
    await waitFor(() => /made it private/.test(stderr()), 'the warning on stderr');
    expect(stderr()).toContain(`${home} 0755→0700`);
    for (const e of modes(home)) expect(`${e.path} ${e.mode}`).toBe(`${e.path} ${e.dir ? '700' : '600'}`);
    expect((lstatSync(home).mode & 0o777).toString(8)).toBe('700');
  });
});
