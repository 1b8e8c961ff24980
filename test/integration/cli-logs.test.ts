import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

// `reins logs` as a user runs it: the real CLI process on a data directory whose log holds pino records.

const CLI = resolve(import.meta.dirname, '..', '..', 'bin', 'reins.js');
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const record = (msg: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 4, 9, 30, 5), pid: 1, msg, ...extra })}\n`;

function homeWithLog(lines: string[]) {
  const home = tempDir('reins-logs-');
  dirs.push(home);
  mkdirSync(join(home.path, 'logs'));
  const file = join(home.path, 'logs', 'reins.log');
  writeFileSync(file, lines.join(''));
  return { home: home.path, file };
}

describe('reins logs', () => {
  it('prints the last records as readable lines', () => {
    const { home } = homeWithLog([record('core.started'), record('session.created', { sessionId: 'abc' }), record('api.listening', { port: 7717 })]);
    const r = spawnSync(process.execPath, [CLI, 'logs', '-n', '2', '--home', home], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toBe('09:30:05  info  session.created  sessionId=abc\n09:30:05  info  api.listening  port=7717\n');
    expect(r.status).toBe(0);
  });

  it('follows records appended later, including one written in two pieces', async () => {
    const { home, file } = homeWithLog([record('core.started')]);
    const child = spawn(process.execPath, [CLI, 'logs', '-f', '--home', home]);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      await waitFor(
        () => out.includes('core.started'),
        () => `the first record; got ${out}`,
      );
      const next = record('approval.requested', { approvalId: 'ap1' });
      appendFileSync(file, next.slice(0, 20));
      await new Promise((r) => setTimeout(r, 700));
      appendFileSync(file, next.slice(20));
      await waitFor(
        () => out.includes('approval.requested'),
        () => `the appended record; got ${out}`,
      );
      expect(out).toContain('09:30:05  info  approval.requested  approvalId=ap1\n');
      expect(out).not.toContain('{"level"');
    } finally {
      child.kill('SIGINT');
    }
  });

  it('says where the log should be when there is none', () => {
    const home = tempDir('reins-logs-none-');
    dirs.push(home);
    const r = spawnSync(process.execPath, [CLI, 'logs', '--home', home.path], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toContain(`No daemon log at ${join(home.path, 'logs', 'reins.log')} yet`);
    expect(r.status).toBe(1);
  });
});
