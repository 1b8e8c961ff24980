/**
 * Starts serve-core.ts (a real core with its Telegram bridge and the phone channel) in a child process
 * for a spec, and stops it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** What serve-core.ts prints: the core, its project directory, the phone channel. */
export interface CoreProcess {
  url: string;
  token: string;
  project: string;
  /** The core's data directory (a spec may seed its database, which the core reads in WAL mode). */
  home: string;
  phone: string;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..', '..');

/** Spawns the core and waits for its JSON line. */
export async function startCoreProcess(): Promise<CoreProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['test/e2e/support/serve-core.ts'], {
    cwd: root,
    env: { ...process.env, REINS_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const info = await new Promise<Omit<CoreProcess, 'stop'>>((done, fail) => {
    lines.once('line', (line) => done(JSON.parse(line) as Omit<CoreProcess, 'stop'>));
    child.once('exit', (code) => fail(new Error(`serve-core exited with ${code}: ${stderr}`)));
  });
  return {
    ...info,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
