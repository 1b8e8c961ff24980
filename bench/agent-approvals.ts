import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, StreamFrame } from '../src-main/contract/index.ts';
import { apiClient } from '../test/helpers/api-client.ts';
import { startDaemonProcess } from '../test/helpers/daemon-process.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import type { AgentSetup, RawAgent } from './agent-setups.ts';
import { eventOf, frameAfter, turnEnded } from './frames.ts';
import { startModelTap, toolCallGaps, type ModelTap } from './model-tap.ts';
import type { Figure } from './report.ts';
import { median, round, spread } from './stats.ts';

/** The measurement is not what it claims to be (a call nobody asked about, or one asked about on the floor). */
class AgentApprovalBenchError extends Error {
  override readonly name = 'AgentApprovalBenchError';
}

/** One round: the same number of shell calls through Reins and on the floor, back to back. */
interface AgentApprovalRound {
  reins_p50_ms: number;
  floor_p50_ms: number;
  p50_ratio: number;
}

/** A harmless command that every agent's default mode (and Reins' policy) asks about. */
const command = (n: number): string => `touch bench-${n}.txt`;

/**
 * An agent's approval round trip against its floor, per shell call: from the fake model finishing the
 * answer that hands the agent a shell tool call to the agent's next model request, which carries the
 * tool's result (timed at a tap in front of the model server). Managed, the agent asks Reins, and a
 * WebSocket client of the loopback API allows each approval the moment its frame appears; on the
 * floor the same CLI, run bare, is in its own auto-approve mode and asks nobody. The interval also
 * holds what both share (the agent parsing the call, running `touch`, sending the result). Each
 * side is one long-lived conversation, `callsPerRound` one-call turns per round; rounds alternate
 * which side goes first; one warm-up turn each is dropped. The core runs as its own process.
 */
export async function benchAgentApprovals(agent: AgentSetup, rounds = 5, callsPerRound = 6) {
  const scratch = tempDir(`reins-bench-${agent.id}-approvals-`);
  const dir = (name: string): string => {
    const path = join(scratch.path, name);
    mkdirSync(path, { mode: 0o700 });
    return path;
  };
  const [home, reinsProject, rawProject] = [dir('home'), dir('project-reins'), dir('project-raw')];
  // Whatever started is closed in reverse order, also when a later step fails.
  const closers: (() => Promise<unknown>)[] = [async () => scratch.remove()];
  const started = <T>(value: T, close: (v: T) => Promise<unknown>): T => {
    closers.unshift(() => close(value));
    return value;
  };
  try {
    const fake = started(await agent.startFake(), (f) => f.close());
    const reinsTap = started(await startModelTap(fake.origin), (t) => t.close());
    const rawTap = started(await startModelTap(fake.origin), (t) => t.close());
    writeFileSync(join(home, 'config.json'), JSON.stringify({ agents: { [agent.id]: { bin: agent.bin() } } }));
    const daemon = started(await startDaemonProcess(home, agent.env(reinsTap.origin, fake, dir('agent-home-reins'), false)), (d) => d.stop());
    const api = apiClient(daemon.url, daemon.token);
    const stream = started(await api.stream(), async (st) => st.close());
    const raw = started(await agent.startRaw(rawProject, agent.env(rawTap.origin, fake, dir('agent-home-raw'), true), true), (r) => r.close());
    return await measure(agent, { api, stream, reinsTap, rawTap, raw, reinsProject }, rounds, callsPerRound);
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

interface Rig {
  api: ReturnType<typeof apiClient>;
  stream: Awaited<ReturnType<ReturnType<typeof apiClient>['stream']>>;
  reinsTap: ModelTap;
  rawTap: ModelTap;
  raw: RawAgent;
  reinsProject: string;
}

async function measure(agent: AgentSetup, { api, stream, reinsTap, rawTap, raw, reinsProject }: Rig, rounds: number, callsPerRound: number) {
  let allowed = 0;
  stream.ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as StreamFrame;
    if (f.type === 'approval' && f.approval.status === 'pending') {
      allowed++;
      void api.raw('POST', `/approvals/${f.approval.id}/decision`, { decision: 'allow' });
    }
  });

  let n = 0;
  let session: Session | null = null;
  const reinsTurn = async (): Promise<void> => {
    const from = stream.frames.length;
    const prompt = `RUN: ${command(++n)}`;
    if (session === null) session = (await api.post<{ session: Session }>('/sessions', { agent: agent.id, cwd: reinsProject, prompt, mode: 'ask' })).session;
    else await api.post(`/sessions/${session.id}/messages`, { text: prompt });
    await frameAfter(stream, from, eventOf(session.id, turnEnded), `the end of a managed ${agent.id} turn`, 300_000);
  };
  const reinsGaps = async (calls: number): Promise<number[]> => {
    const [from, asked] = [reinsTap.requests.length, allowed];
    for (let i = 0; i < calls; i++) await reinsTurn();
    if (allowed - asked !== calls)
      throw new AgentApprovalBenchError(`Reins asked about ${allowed - asked} of ${calls} ${agent.id} shell calls: each must go through an approval.`);
    return toolCallGaps(reinsTap, agent.wire, from);
  };
  const floorGaps = async (calls: number): Promise<number[]> => {
    const from = rawTap.requests.length;
    for (let i = 0; i < calls; i++) {
      const asked = await raw.turn(`RUN: ${command(++n)}`);
      if (asked !== 0) throw new AgentApprovalBenchError(`The bare ${agent.id} asked for permission in its auto-approve mode: the floor must ask nobody.`);
    }
    return toolCallGaps(rawTap, agent.wire, from);
  };
  const counted = (gaps: number[], calls: number, who: string): number[] => {
    if (gaps.length !== calls) throw new AgentApprovalBenchError(`The ${who} ${agent.id} sent ${gaps.length} tool results for ${calls} shell calls.`);
    return gaps;
  };

  await floorGaps(1);
  await reinsGaps(1);
  const results: AgentApprovalRound[] = [];
  for (let r = 0; r < rounds; r++) {
    let reins: number[];
    let floor: number[];
    // Alternate which goes first, so a drift of the machine's load favours neither.
    if (r % 2 === 0) {
      floor = counted(await floorGaps(callsPerRound), callsPerRound, 'bare');
      reins = counted(await reinsGaps(callsPerRound), callsPerRound, 'managed');
    } else {
      reins = counted(await reinsGaps(callsPerRound), callsPerRound, 'managed');
      floor = counted(await floorGaps(callsPerRound), callsPerRound, 'bare');
    }
    const [reinsP50, floorP50] = [median(reins), median(floor)];
    results.push({ reins_p50_ms: round(reinsP50, 1), floor_p50_ms: round(floorP50, 1), p50_ratio: round(reinsP50 / floorP50, 3) });
  }
  return { agent: agent.id, calls_per_round: callsPerRound, rounds: results };
}

/** The figure of {@link benchAgentApprovals}. */
export function agentApprovalFigures(agent: AgentSetup) {
  return (r: Awaited<ReturnType<typeof benchAgentApprovals>>): Figure[] => {
    const col = (k: keyof AgentApprovalRound) => spread(r.rounds.map((x) => x[k]));
    return [
      {
        measure: `${agent.id} (${agent.wireName}) approval round trip / its floor, p50: model hands the agent a shell call (\`touch\`) → the agent's next model request carrying its result, Reins allowing over the loopback API as the approval appears / the bare CLI in its own auto-approve mode (${agent.autoApproveName}); ${r.calls_per_round} calls per round`,
        value: col('p50_ratio'),
        unit: 'ratio',
        target: null,
        absolute: `through Reins p50 ${col('reins_p50_ms').median} ms; floor p50 ${col('floor_p50_ms').median} ms (medians over rounds)`,
      },
    ];
  };
}
