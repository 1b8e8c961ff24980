import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session } from '../src-main/contract/index.ts';
import { startApprovalFloor, type ApprovalFloor } from './approval-floor.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { eventOf, frameAfter, turnEnded } from './frames.ts';
import type { Figure } from './report.ts';
import { median, percentile, round, spread } from './stats.ts';

const AGENT = fileURLToPath(new URL('./agents/approval-agent.mjs', import.meta.url));

/** Reins' p99 may be at most this multiple of the floor's p99, measured in the same round. */
const TARGET_P99_RATIO = 3;

/** One round: the same number of Reins approvals and floor samples, back to back. */
interface ApprovalRound {
  reins_p50_ms: number;
  reins_p99_ms: number;
  floor_p50_ms: number;
  floor_p99_ms: number;
  p50_ratio: number;
  p99_ratio: number;
}

/**
 * Approval round trip Reins adds (agent request in → decision out, decided over the public API by a
 * WebSocket client the moment the approval frame appears; timed inside the agent) against the floor
 * it cannot beat (approval-floor.ts), both measured in each round. A warm-up round of each is dropped.
 */
export async function benchApprovalRoundTrip(rounds = 5, perRound = 1000) {
  const outFile = join(tmpdir(), `reins-bench-${randomUUID()}.json`);
  // The agent inherits the core's environment, so that is how it learns where to write.
  const b = await benchDaemon(AGENT, { ...(process.env as Record<string, string>), BENCH_OUT: outFile });
  const floor = await startApprovalFloor();
  const stream = await b.api.stream();
  stream.ws.on('message', (d) => {
    const f = JSON.parse(String(d));
    if (f.type === 'approval' && f.approval.status === 'pending') {
      void b.api.raw('POST', `/approvals/${f.approval.id}/decision`, { decision: 'allow' });
    }
  });
  const reinsSamples = async (count: number): Promise<number[]> => {
    const from = stream.frames.length;
    const { session } = await b.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: b.project, prompt: `APPROVALS:${count}` });
    await frameAfter(stream, from, eventOf(session.id, turnEnded), 'the end of the approvals turn', 600_000);
    await b.api.post(`/sessions/${session.id}/stop`);
    return (JSON.parse(readFileSync(outFile, 'utf8')) as number[]).map((us) => us / 1000);
  };
  try {
    await floorSamples(floor, Math.ceil(perRound / 10));
    await reinsSamples(Math.ceil(perRound / 10));
    const results: ApprovalRound[] = [];
    for (let r = 0; r < rounds; r++) {
      const floorMs = await floorSamples(floor, perRound);
      const reinsMs = await reinsSamples(perRound);
      const [reinsP50, floorP50] = [median(reinsMs), median(floorMs)];
      const [reinsP99, floorP99] = [percentile(reinsMs, 99), percentile(floorMs, 99)];
      results.push({
        reins_p50_ms: round(reinsP50, 3),
        reins_p99_ms: round(reinsP99, 3),
        floor_p50_ms: round(floorP50, 3),
        floor_p99_ms: round(floorP99, 3),
        p50_ratio: round(reinsP50 / floorP50, 3),
        p99_ratio: round(reinsP99 / floorP99, 3),
      });
    }
    return { approvals_per_round: perRound, target_p99_ratio: TARGET_P99_RATIO, rounds: results };
  } finally {
    stream.close();
    await floor.close();
    await b.close();
    rmSync(outFile, { force: true });
  }
}

async function floorSamples(floor: ApprovalFloor, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await floor.sample());
  return samples;
}

/** The figures of {@link benchApprovalRoundTrip}. */
export function approvalFigures(r: Awaited<ReturnType<typeof benchApprovalRoundTrip>>): Figure[] {
  const col = (k: keyof ApprovalRound) => spread(r.rounds.map((x) => x[k]));
  const ms = (k: keyof ApprovalRound) => `${col(k).median} ms`;
  return [
    {
      measure: 'Approval round trip (agent request → decision over the API) / its floor (pipe echo + loopback HTTP + WAL transaction), p50',
      value: col('p50_ratio'),
      unit: 'ratio',
      target: null,
      absolute: `Reins p50 ${ms('reins_p50_ms')}; floor p50 ${ms('floor_p50_ms')} (medians over rounds)`,
    },
    {
      measure: `Approval round trip / its floor, p99 (${r.approvals_per_round} approvals per round)`,
      value: col('p99_ratio'),
      unit: 'ratio',
      target: { op: '<=', value: r.target_p99_ratio, text: `≤ ${r.target_p99_ratio}×` },
      absolute: `Reins p99 ${ms('reins_p99_ms')}; floor p99 ${ms('floor_p99_ms')} (medians over rounds)`,
    },
  ];
}
