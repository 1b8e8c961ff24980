/**
 * Starts serve-core.ts in its own Node process for a spec (a real core serving the built renderer),
 * and stops it again.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { CoreAccess } from './open-app.ts';

/** The running core: how to reach it, its project directory, and how to stop it. */
export interface CoreProcess {
  core: CoreAccess & { project: string };
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..', '..', '..');

/** Spawns serve-core.ts and waits for the line that says where it listens. */
export async function startCoreProcess(): Promise<CoreProcess> {
  const child = spawn(process.execPath, ['test/e2e/support/serve-core.ts'], { cwd: root, env: { ...process.env, REINS_LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const core = await new Promise<CoreProcess['core']>((done, fail) => {
    lines.once('line', (line) => done(JSON.parse(line) as CoreProcess['core']));
    child.once('exit', (code) => fail(new Error(`serve-core exited with ${code}: ${stderr}`)));
  });
  return {
    core,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
