import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Session, StreamFrame } from '../src-main/contract/index.ts';
import { startFakeAnthropic } from '../test/fakes/anthropic/index.ts';
import { claudeBin, claudeChildEnv } from '../test/helpers/claude-env.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { median, round } from './stats.ts';

const PROMPT = 'SAY: benchmark turn';

/** One raw CLI turn: spawn → stream-json user message → `result` line. */
function rawTurn(bin: string, cwd: string, env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const child = spawn(bin, ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose', '--permission-prompt-tool', 'stdio'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.write(`${JSON.stringify({ type: 'user', message: { role: 'user', content: PROMPT }, parent_tool_use_id: null, session_id: '' })}\n`);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"type":"result"')) {
        resolve(performance.now() - t0);
        child.stdin.end();
      }
    });
    child.on('error', reject);
  });
}

/**
 * The time of a Reins-managed `claude` turn (POST /sessions → the turn-ended frame) as a ratio
 * to the same turn run by the raw CLI, both against the fake model API, interleaved.
 */
export async function benchTurnOverhead(rounds = 8) {
  const fake = await startFakeAnthropic();
  const scratch = tempDir('reins-bench-turn-');
  const agentHome = join(scratch.path, 'agent-home');
  const rawDir = join(scratch.path, 'raw');
  mkdirSync(agentHome);
  mkdirSync(rawDir);
  const env = claudeChildEnv(fake.url, agentHome);
  const b = await benchDaemon(claudeBin(), env);
  const stream = await b.api.stream();
  const reins: number[] = [];
  const raw: number[] = [];
  const reinsTurn = async (): Promise<number> => {
    const t0 = performance.now();
    const ended = new Promise<void>((resolve) => {
      const on = (d: unknown) => {
        const f = JSON.parse(String(d)) as StreamFrame;
        if (f.type === 'event' && f.event.kind === 'status' && f.event.payload.turn === 'ended') {
          stream.ws.off('message', on);
          resolve();
        }
      };
      stream.ws.on('message', on);
    });
    const { session } = await b.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: b.project, prompt: PROMPT });
    await ended;
    const t = performance.now() - t0;
    await b.api.post(`/sessions/${session.id}/stop`);
    return t;
  };
  await rawTurn(claudeBin(), rawDir, env); // warm the binary's page cache
  await reinsTurn();
  for (let i = 0; i < rounds; i++) {
    raw.push(await rawTurn(claudeBin(), rawDir, env));
    reins.push(await reinsTurn());
  }
  stream.close();
  await b.close();
  await fake.close();
  scratch.remove();
  return {
    rounds,
    raw_median_ms: round(median(raw), 1),
    reins_median_ms: round(median(reins), 1),
    ratio: round(median(reins) / median(raw), 3),
    target_ratio: 1.05,
  };
}
