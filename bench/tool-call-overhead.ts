import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, StreamFrame } from '../src-main/contract/index.ts';
import { readConversation, startFakeAnthropic, type RecordedRequest } from '../test/fakes/anthropic/index.ts';
import { apiClient } from '../test/helpers/api-client.ts';
import { claudeBin, claudeChildEnv } from '../test/helpers/claude-env.ts';
import { startDaemonProcess } from '../test/helpers/daemon-process.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { eventOf, frameAfter, turnEnded } from './frames.ts';
import { rawClaudeTurn } from './raw-claude.ts';
import type { Figure } from './report.ts';
import { median, percentile, round, spread } from './stats.ts';

/** The read-only calls measured: tools policy allows without asking, in the session's project. */
const TOOLS = ['Read', 'Bash'] as const;
type Tool = (typeof TOOLS)[number];

/** One tool call as the model API saw it: from its tool_use fully sent to the tool_result arriving. */
interface CallGap {
  tool: string;
  ms: number;
}

/** The measurement is not what it claims to be (calls asked, skipped policy, or requests interleaved). */
export class ToolCallBenchError extends Error {
  override readonly name = 'ToolCallBenchError';
}

/**
 * For each tool call in `requests` (one conversation, in arrival order): the time from the fake
 * model finishing the response that carried the tool_use to the arrival of the request that
 * carries its tool_result. That interval is everything the client does for the call: parse, check
 * (Reins' policy, for a managed session), run the tool, send the result.
 */
export function callGaps(requests: readonly RecordedRequest[]): CallGap[] {
  const gaps: CallGap[] = [];
  for (let i = 1; i < requests.length; i++) {
    const request = requests[i]!;
    const view = readConversation(request.messages);
    // Only a request that continues a turn with tool results answers a call (not a new prompt).
    if (view.lastToolResult === null) continue;
    const previous = requests[i - 1]!;
    const before = readConversation(previous.messages);
    // The request before must be the one that asked for this tool: same prompt, one call fewer.
    if (before.prompt !== view.prompt || before.toolUsesSincePrompt !== view.toolUsesSincePrompt - 1) {
      throw new ToolCallBenchError(
        `Model request ${i} carries a tool result but does not follow the request that asked for the tool; another request came in between.`,
      );
    }
    if (previous.respondedAt === null) throw new ToolCallBenchError(`The response to model request ${i - 1} never finished, yet its tool result arrived.`);
    gaps.push({ tool: view.lastToolResult.toolName, ms: request.receivedAt - previous.respondedAt });
  }
  return gaps;
}

/**
 * The cost of routing every tool call through Reins' policy (the in-process PreToolUse hook and
 * the policy decision behind it): a turn of read-only calls that policy allows, run by the raw CLI
 * and by a Reins-managed session with the same script, and for each call the gap the model API
 * sees between sending the tool_use and receiving the tool_result (see {@link callGaps}). The core
 * runs as its own process (`reins daemon`), as a user runs it; the fake model runs in this one.
 */
export async function benchToolCalls(rounds = 5, callsPerTool = 20) {
  const fake = await startFakeAnthropic();
  const scratch = tempDir('reins-bench-tools-');
  const home = join(scratch.path, 'home');
  const agentHome = join(scratch.path, 'agent-home');
  const project = join(scratch.path, 'project');
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(agentHome);
  mkdirSync(project);
  writeFileSync(join(project, 'README.md'), '# Bench project\n\nA file to read.\n');
  writeFileSync(join(home, 'config.json'), JSON.stringify({ agents: { claude: { bin: claudeBin() } } }));
  const env = claudeChildEnv(fake.url, agentHome);
  const daemon = await startDaemonProcess(home, env);
  const api = apiClient(daemon.url, daemon.token);
  const stream = await api.stream().catch(async (error: unknown) => {
    await daemon.stop();
    throw error;
  });
  const script = [
    ...Array.from({ length: callsPerTool }, () => [`TOOL: Read {"file_path":"${join(project, 'README.md')}"}`, 'RUN: cat README.md']).flat(),
    'SAY: done',
  ].join('\n');

  const rawGaps = async (): Promise<CallGap[]> => {
    const from = fake.requests.length;
    const turn = await rawClaudeTurn(script, project, env);
    if (turn.permissionRequests > 0)
      throw new ToolCallBenchError(`The raw CLI asked permission ${turn.permissionRequests} time(s): these calls are not ones it makes on its own.`);
    return callGaps(fake.requests.slice(from));
  };
  const reinsGaps = async (): Promise<CallGap[]> => {
    const from = fake.requests.length;
    const frames = stream.frames.length;
    const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: script });
    const asked = (f: StreamFrame): boolean => f.type === 'approval' && f.approval.sessionId === session.id;
    const end = await frameAfter(stream, frames, (f) => asked(f) || eventOf(session.id, turnEnded)(f), 'the end of the managed turn');
    await api.post(`/sessions/${session.id}/stop`);
    if (asked(end)) throw new ToolCallBenchError('Policy asked the owner about a read-only call in the project: the bench measures calls that policy allows.');
    const allowed = (await api.events(session.id)).filter((e) => e.kind === 'policy_decision' && e.payload.decision === 'allow').length;
    // Proof that the measured path is the real one: every call was decided by Reins' policy.
    if (allowed !== 2 * callsPerTool)
      throw new ToolCallBenchError(`Reins' policy allowed ${allowed} of the ${2 * callsPerTool} calls: the calls did not all pass through policy.`);
    return callGaps(fake.requests.slice(from));
  };

  try {
    await rawGaps(); // warm-up: page cache, the CLI's first-run files
    await reinsGaps();
    const perRound: { raw: Record<Tool, number[]>; reins: Record<Tool, number[]> }[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so a drift of the machine's load favours neither.
      let raw: CallGap[];
      let reins: CallGap[];
      if (r % 2 === 0) {
        raw = await rawGaps();
        reins = await reinsGaps();
      } else {
        reins = await reinsGaps();
        raw = await rawGaps();
      }
      perRound.push({ raw: byTool(raw, 'raw', callsPerTool), reins: byTool(reins, 'managed', callsPerTool) });
    }
    const all = (who: 'raw' | 'reins', tool: Tool): number[] => perRound.flatMap((x) => x[who][tool]);
    return {
      calls_per_tool_per_turn: callsPerTool,
      rounds: perRound.map((x) => Object.fromEntries(TOOLS.map((t) => [t, gapStats(x.raw[t], x.reins[t])])) as Record<Tool, GapStats>),
      all_rounds: Object.fromEntries(TOOLS.map((t) => [t, gapStats(all('raw', t), all('reins', t))])) as Record<Tool, GapStats>,
    };
  } finally {
    stream.close();
    await daemon.stop();
    await fake.close();
    scratch.remove();
  }
}

function byTool(gaps: readonly CallGap[], who: string, expected: number): Record<Tool, number[]> {
  return Object.fromEntries(
    TOOLS.map((tool) => {
      const ms = gaps.filter((g) => g.tool === tool).map((g) => g.ms);
      if (ms.length !== expected) throw new ToolCallBenchError(`The ${who} turn made ${ms.length} ${tool} calls, the script asks for ${expected}.`);
      return [tool, ms];
    }),
  ) as Record<Tool, number[]>;
}

/** p50 and p99 of the per-call gaps, raw and managed, and what the managed session adds. */
type GapStats = Record<`${'raw' | 'reins' | 'added'}_${'p50' | 'p99'}_ms` | 'calls', number>;

function gapStats(raw: readonly number[], reins: readonly number[]): GapStats {
  const [raw50, raw99, reins50, reins99] = [median(raw), percentile(raw, 99), median(reins), percentile(reins, 99)];
  return {
    calls: raw.length,
    raw_p50_ms: round(raw50, 2),
    raw_p99_ms: round(raw99, 2),
    reins_p50_ms: round(reins50, 2),
    reins_p99_ms: round(reins99, 2),
    added_p50_ms: round(reins50 - raw50, 2),
    added_p99_ms: round(reins99 - raw99, 2),
  };
}

/** The figures of {@link benchToolCalls}. */
export function toolCallFigures(r: Awaited<ReturnType<typeof benchToolCalls>>): Figure[] {
  const what: Record<Tool, string> = { Read: 'the Read tool on a project file', Bash: '`cat README.md` (Bash) in the project' };
  return TOOLS.flatMap((tool) => {
    const col = (k: keyof GapStats) => spread(r.rounds.map((x) => x[tool][k]));
    const pooled = r.all_rounds[tool];
    return (['p50', 'p99'] as const).map((p) => ({
      measure: `Policy check per tool call, ${what[tool]}: added latency ${p} (managed − raw CLI, per call as the model API sees it; ${r.calls_per_tool_per_turn} such calls per turn${p === 'p99' ? ', so a round’s p99 is its slowest call' : ''})`,
      value: col(`added_${p}_ms`),
      unit: 'ms' as const,
      target: null,
      absolute: `managed ${p} ${col(`reins_${p}_ms`).median} ms, raw ${p} ${col(`raw_${p}_ms`).median} ms (medians over rounds); all ${pooled.calls} calls together: managed ${pooled[`reins_${p}_ms`]} ms, raw ${pooled[`raw_${p}_ms`]} ms, added ${pooled[`added_${p}_ms`]} ms`,
    }));
  });
}
