import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../src-main/contract/index.ts';
import { startFakeAnthropic } from '../test/fakes/anthropic/index.ts';
import { claudeBin, claudeChildEnv } from '../test/helpers/claude-env.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { eventOf, frameAfter, turnEnded } from './frames.ts';
import { rawClaudeTurn } from './raw-claude.ts';
import type { Figure } from './report.ts';
import { median, round, spread } from './stats.ts';

const PROMPT = 'SAY: benchmark turn';

/** A managed turn may take at most this multiple of the raw CLI turn run next to it. */
const TARGET_RATIO = 1.05;

/**
 * The time of a Reins-managed `claude` turn (POST /sessions → the turn-ended frame) as a ratio
 * to the same turn run by the raw CLI next to it, both against the fake model API; one pair per
 * round, after a warm-up pair.
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
  const reinsTurn = async (): Promise<number> => {
    const t0 = performance.now();
    const from = stream.frames.length;
    const { session } = await b.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: b.project, prompt: PROMPT });
    await frameAfter(stream, from, eventOf(session.id, turnEnded), 'the end of the managed turn');
    const t = performance.now() - t0;
    await b.api.post(`/sessions/${session.id}/stop`);
    return t;
  };
  try {
    await rawClaudeTurn(PROMPT, rawDir, env); // warm the binary's page cache
    await reinsTurn();
    const results: { raw_ms: number; reins_ms: number; ratio: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so a drift of the machine's load favours neither.
      let raw: number;
      let reins: number;
      if (i % 2 === 0) {
        raw = (await rawClaudeTurn(PROMPT, rawDir, env)).ms;
        reins = await reinsTurn();
      } else {
        reins = await reinsTurn();
        raw = (await rawClaudeTurn(PROMPT, rawDir, env)).ms;
      }
      results.push({ raw_ms: round(raw, 1), reins_ms: round(reins, 1), ratio: round(reins / raw, 3) });
    }
    return { target_ratio: TARGET_RATIO, rounds: results };
  } finally {
    stream.close();
    await b.close();
    await fake.close();
    scratch.remove();
  }
}

/** The figures of {@link benchTurnOverhead}. */
export function turnFigures(r: Awaited<ReturnType<typeof benchTurnOverhead>>): Figure[] {
  return [
    {
      measure: 'Reins-managed claude turn / the raw CLI turn next to it (spawn → result, one text reply)',
      value: spread(r.rounds.map((x) => x.ratio)),
      unit: 'ratio',
      target: { op: '<=', value: r.target_ratio, text: `≤ ${r.target_ratio}` },
      absolute: `managed ${median(r.rounds.map((x) => x.reins_ms))} ms; raw ${median(r.rounds.map((x) => x.raw_ms))} ms (medians over rounds)`,
    },
  ];
}
