/**
 * Faults the real CLI cannot be made to show, from a misbehaving stand-in: none may crash the
 * core, and each must be visible as an error event.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session, SessionEvent } from '../../src-main/contract/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { apiClient, type TestApi } from '../helpers/api-client.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const BIN = fileURLToPath(new URL('../fakes/agent-cli/misbehaving-claude.mjs', import.meta.url));
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function start(config: Record<string, unknown> = {}): Promise<{ api: TestApi; project: string }> {
  const dir = tempDir();
  const project = join(dir.path, 'p');
  mkdirSync(project);
  const daemon = await startDaemon({
    home: join(dir.path, 'home'),
    config: parseConfig({ port: 0, agents: { claude: { bin: BIN } }, ...config }),
    env: process.env,
  });
  cleanup = async () => {
    await daemon.stop();
    dir.remove();
  };
  return { api: apiClient(daemon.url, daemon.token), project };
}

const run = async (api: TestApi, project: string, prompt: string, until: (s: Session) => boolean): Promise<SessionEvent[]> => {
  const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt });
  await api.waitState(session.id, until, `session after ${prompt.slice(0, 10)}`);
  return api.events(session.id);
};
const errors = (evs: SessionEvent[]) => evs.flatMap((e) => (e.kind === 'error' ? [e.payload] : []));
const texts = (evs: SessionEvent[]) => evs.flatMap((e) => (e.kind === 'message' && e.payload.role === 'assistant' ? [e.payload.text] : []));
const idle = (s: Session) => s.state === 'idle';

describe('malformed agent output', () => {
  it('a garbage line becomes an error event and the session carries on', async () => {
    const { api, project } = await start();
    const evs = await run(api, project, 'GARBAGE', idle);
    expect(errors(evs)).toEqual([
      expect.objectContaining({ source: 'agent-output', message: expect.stringContaining('not JSON'), sample: expect.stringContaining('this is not json') }),
    ]);
    expect(texts(evs)).toContain('still alive after garbage');
  });

  it('a 10 MB line over the limit is dropped with an error event, memory bounded', async () => {
    const { api, project } = await start({ maxLineBytes: 1024 * 1024 });
    const evs = await run(api, project, 'HUGE', idle);
    const err = errors(evs)[0];
    expect(err?.message).toMatch(/line of 104857\d\d bytes, over the 1048576-byte limit/);
    expect((err?.sample ?? '').length).toBeLessThan(400);
    expect(texts(evs)).toContain('still alive after a huge line');
  });

  it('a 10 MB line within a raised limit is parsed without error', async () => {
    const { api, project } = await start({ maxLineBytes: 16 * 1024 * 1024 });
    const evs = await run(api, project, 'HUGE', idle);
    expect(errors(evs)).toHaveLength(0);
    expect(texts(evs)).toContain('still alive after a huge line');
  });

  it('invalid UTF-8 is reported and the line still parsed with replacement characters', async () => {
    const { api, project } = await start();
    const evs = await run(api, project, 'BADUTF8', idle);
    expect(errors(evs)[0]?.message).toMatch(/invalid UTF-8/);
    expect(texts(evs).some((t) => t.startsWith('bad ') && t.includes('\uFFFD'))).toBe(true);
    expect(texts(evs)).toContain('still alive after bad bytes');
  });

  it('an unknown line type is kept raw, never dropped', async () => {
    const { api, project } = await start();
    const evs = await run(api, project, 'UNKNOWN', idle);
    expect(evs.find((e) => e.kind === 'raw' && e.payload.agentType === 'brand_new_kind')?.payload).toMatchObject({ data: { detail: { answer: 42 } } });
  });

  it('a crash in the middle of a line fails the session with the reason, and the core lives on', async () => {
    const { api, project } = await start();
    const evs = await run(api, project, 'CRASH', (s) => s.state === 'failed');
    const errs = errors(evs);
    expect(errs.some((e) => e.source === 'agent-exit' && /middle of a line/.test(e.message) && (e.sample ?? '').includes('"con'))).toBe(true);
    expect(errs.some((e) => e.source === 'agent-exit' && /exited with code 3 during a turn/.test(e.message))).toBe(true);
    const health = await api.raw('GET', '/health');
    expect(health.status).toBe(200);
    const again = await run(api, project, 'hello again', idle);
    expect(texts(again)).toContain('hello again');
  });

  it('a missing agent binary fails the session with what to do', async () => {
    const dir = tempDir();
    mkdirSync(join(dir.path, 'p'));
    const daemon = await startDaemon({
      home: join(dir.path, 'home'),
      config: parseConfig({ port: 0, agents: { claude: { bin: join(dir.path, 'no-such-claude') } } }),
      env: process.env,
    });
    cleanup = async () => {
      await daemon.stop();
      dir.remove();
    };
    const api = apiClient(daemon.url, daemon.token);
    const evs = await run(api, join(dir.path, 'p'), 'hi', (s) => s.state === 'failed');
    expect(errors(evs).find((e) => e.source === 'agent-spawn')?.message).toMatch(/could not start .*ENOENT.*REINS_CLAUDE_BIN/);
  });

  it('an agent that cannot even be spawned (invalid env) fails its session with the reason', async () => {
    const { api, project } = await start({ agents: { claude: { bin: BIN, env: { BROKEN: 'a\u0000b' } } } });
    const evs = await run(api, project, 'hi', (s) => s.state === 'failed');
    expect(errors(evs).find((e) => e.source === 'agent-spawn')?.message).toMatch(/could not start .*ERR_INVALID_ARG_VALUE/);
  });

  it('a watchdog kill also ends the commands the agent started (its process group)', async () => {
    const { api, project } = await start({ watchdog: { stallAfterMinutes: 0.005, killAfterMinutes: 0.005 } });
    const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: 'SLEEPER' });
    const evs = await waitFor(async () => {
      const all = await api.events(session.id);
      return texts(all).some((t) => t.startsWith('sleeper ')) ? all : undefined;
    }, 'the sleeper pid');
    const pid = Number(
      texts(evs)
        .find((t) => t.startsWith('sleeper '))!
        .slice(8),
    );
    await api.waitState(session.id, (s) => s.state === 'failed', 'watchdog kill');
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      'the sleeper to be gone',
      5000,
    );
  });

  it('a slow but steady turn is never stalled', async () => {
    // The turn (4 s) outlasts the stall limit (3 s); each gap (0.1 s) is far below it, so a loaded
    // machine that delays a line or the agent's start by a second still never looks stalled.
    const { api, project } = await start({ watchdog: { stallAfterMinutes: 0.05, killAfterMinutes: 0.1 } });
    const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: 'TRICKLE:40:100' });
    await api.waitState(session.id, (s) => s.state === 'idle', 'the trickle to finish');
    const evs = await api.events(session.id);
    expect(evs.filter((e) => e.kind === 'message' && e.payload.text.startsWith('trickle'))).toHaveLength(40);
    expect(evs.some((e) => e.kind === 'status' && e.payload.state === 'stalled')).toBe(false);
  });

  it('a turn that goes quiet is stalled, and back to running when output resumes, not killed', async () => {
    const { api, project } = await start({ watchdog: { stallAfterMinutes: 0.005, killAfterMinutes: 0.05 } });
    const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: 'PAUSE:900' });
    await api.waitState(session.id, (s) => s.state === 'idle', 'the turn to finish after its pause');
    const states = (await api.events(session.id)).flatMap((e) => (e.kind === 'status' ? [e.payload.state] : []));
    expect(states).toContain('stalled');
    expect(states.slice(states.indexOf('stalled'))).toContain('running');
    expect(states).not.toContain('failed');
  });

  it('the idle watchdog marks a silent turn stalled, then kills it', async () => {
    const { api, project } = await start({ watchdog: { stallAfterMinutes: 0.005, killAfterMinutes: 0.005 } });
    const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: 'SILENT' });
    await api.waitState(session.id, (s) => s.state === 'failed', 'watchdog kill');
    const evs = await api.events(session.id);
    expect(evs.some((e) => e.kind === 'status' && e.payload.state === 'stalled')).toBe(true);
    expect((await api.session(session.id)).stateReason).toMatch(/without output/);
  });
});
