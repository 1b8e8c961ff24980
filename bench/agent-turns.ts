import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from '../src-main/contract/index.ts';
import { apiClient } from '../test/helpers/api-client.ts';
import { startDaemonProcess } from '../test/helpers/daemon-process.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import type { AgentSetup } from './agent-setups.ts';
import { eventOf, frameAfter, turnEnded } from './frames.ts';
import type { Figure } from './report.ts';
import { median, round, spread } from './stats.ts';

const PROMPT = 'SAY: benchmark turn';

/** A managed turn may take at most this multiple of the raw CLI turn run next to it (as for claude). */
const TARGET_RATIO = 1.05;

/**
 * The time of a Reins-managed turn of `agent` (POST /sessions → the turn-ended frame; a one-text
 * reply) as a ratio to the same turn of the bare CLI next to it (spawn → the turn's end: a bare
 * protocol client, the same command line and thread settings as Reins), both against the fake
 * model server. Each side ends its process before the other starts; one pair per round, alternating
 * which goes first, after a warm-up pair. The core runs as its own process.
 */
export async function benchAgentTurns(agent: AgentSetup, rounds = 5) {
  const scratch = tempDir(`reins-bench-${agent.id}-turns-`);
  const dir = (name: string): string => {
    const path = join(scratch.path, name);
    mkdirSync(path, { mode: 0o700 });
    return path;
  };
  const [home, reinsProject, rawProject] = [dir('home'), dir('project-reins'), dir('project-raw')];
  const closers: (() => Promise<unknown>)[] = [async () => scratch.remove()];
  try {
    const fake = await agent.startFake();
    closers.unshift(() => fake.close());
    // No tap in between: the CLI talks to the fake directly, on both sides.
    const env = agent.env(fake.origin, fake, dir('agent-home'), false);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ agents: { [agent.id]: { bin: agent.bin() } } }));
    const daemon = await startDaemonProcess(home, env);
    closers.unshift(() => daemon.stop());
    const api = apiClient(daemon.url, daemon.token);
    const stream = await api.stream();
    closers.unshift(async () => stream.close());

    const reinsTurn = async (): Promise<number> => {
      const t0 = performance.now();
      const from = stream.frames.length;
      const { session } = await api.post<{ session: Session }>('/sessions', { agent: agent.id, cwd: reinsProject, prompt: PROMPT, mode: 'ask' });
      await frameAfter(stream, from, eventOf(session.id, turnEnded), `the end of the managed ${agent.id} turn`, 300_000);
      const ms = performance.now() - t0;
      // Answers once the agent has ended, so the next measurement does not share the machine with it.
      await api.post(`/sessions/${session.id}/stop`);
      return ms;
    };
    const rawTurn = async (): Promise<number> => {
      const t0 = performance.now();
      const raw = await agent.startRaw(rawProject, env, false);
      await raw.turn(PROMPT);
      const ms = performance.now() - t0;
      await raw.close();
      return ms;
    };

    await rawTurn(); // warm the binary's page cache
    await reinsTurn();
    const results: { raw_ms: number; reins_ms: number; ratio: number }[] = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which goes first, so a drift of the machine's load favours neither.
      let raw: number;
      let reins: number;
      if (i % 2 === 0) {
        raw = await rawTurn();
        reins = await reinsTurn();
      } else {
        reins = await reinsTurn();
        raw = await rawTurn();
      }
      results.push({ raw_ms: round(raw, 1), reins_ms: round(reins, 1), ratio: round(reins / raw, 3) });
    }
    return { agent: agent.id, target_ratio: TARGET_RATIO, rounds: results };
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

/** The figure of {@link benchAgentTurns}. */
export function agentTurnFigures(agent: AgentSetup) {
  return (r: Awaited<ReturnType<typeof benchAgentTurns>>): Figure[] => [
    {
      measure: `Reins-managed ${agent.id} turn / the raw CLI turn next to it (${agent.wireName}, spawn → result, one text reply)`,
      value: spread(r.rounds.map((x) => x.ratio)),
      unit: 'ratio',
      target: { op: '<=', value: r.target_ratio, text: `≤ ${r.target_ratio}` },
      absolute: `managed ${median(r.rounds.map((x) => x.reins_ms))} ms; raw ${median(r.rounds.map((x) => x.raw_ms))} ms (medians over rounds)`,
    },
  ];
}
