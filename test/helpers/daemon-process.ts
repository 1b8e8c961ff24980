import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RuntimeInfo } from '../../src-main/surfaces/api/index.ts';
import { waitFor } from './wait-for.ts';

/** A `reins daemon` running as its own process, as a user starts it. */
export interface DaemonProcess {
  url: string;
  token: string;
  pid: number;
  home: string;
  /** Everything the daemon wrote to stderr so far. */
  stderr(): string;
  /** Everything the daemon wrote to stdout so far (its start lines). */
  stdout(): string;
  /** SIGTERM, then waits for the exit; resolves the exit code. */
  stop(): Promise<number | null>;
}

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Starts `node src-main/cli/main.ts daemon --home <home> --port 0` and waits for its runtime.json.
 * Use when the core must live in another process (lock ownership, attach-to-daemon).
 */
export async function startDaemonProcess(home: string, env: NodeJS.ProcessEnv = process.env): Promise<DaemonProcess> {
  const child = spawn(process.execPath, [join(root, 'src-main', 'cli', 'main.ts'), 'daemon', '--home', home, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, REINS_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const runtimePath = join(home, 'runtime.json');
  let info: RuntimeInfo;
  try {
    info = await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`the daemon exited with code ${child.exitCode}: ${stderr}`);
      if (!existsSync(runtimePath)) return undefined;
      const parsed = JSON.parse(readFileSync(runtimePath, 'utf8')) as RuntimeInfo;
      return parsed.pid === child.pid ? parsed : undefined;
    }, `runtime.json of the daemon in ${home}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url: info.url,
    token: info.token,
    pid: info.pid,
    home,
    stderr: () => stderr,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
