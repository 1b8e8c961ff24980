/**
 * The hook round trip: an agent Reins did not start runs `reins hook claude` before each tool call.
 * Measured from spawning that process with a harmless call on its stdin (a Read in the project,
 * which policy allows) to its exit with the answer, process start included; beside it, the same
 * machine's bare Node start (`node -e ''`), its physical floor. Rounds alternate the two.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Figure } from './report.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { median, percentile, round, spread } from './stats.ts';

const ROUNDS = 5;
const CALLS_PER_ROUND = 12;
/** The target: p50 under 50 ms on this kind of machine (the figure beside it shows what a bare Node start costs). */
const TARGET_P50_MS = 50;
const REINS = fileURLToPath(new URL('../bin/reins.js', import.meta.url));

/** Runs `args` with `input` on stdin; resolves its wall time and what it printed. */
function timed(args: string[], input: string): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', reject);
    child.once('close', () => resolve({ ms: performance.now() - t0, out }));
    child.stdin.end(input);
  });
}

interface HookRound {
  hook_p50_ms: number;
  hook_p90_ms: number;
  node_p50_ms: number;
  /** What the hook costs beyond a bare Node start: the part Reins' code decides. */
  added_p50_ms: number;
}

/** The hook answered something other than allow: the figure would not measure an allowed call. */
class HookBenchError extends Error {
  override readonly name = 'HookBenchError';
}

export async function benchHookRoundTrip() {
  const d = await benchDaemon(process.execPath, {});
  try {
    const input = JSON.stringify({
      session_id: 'bench-hook',
      transcript_path: '',
      cwd: d.project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: `${d.project}/README.md` },
      tool_use_id: 'toolu_bench',
    });
    const hookArgs = [REINS, 'hook', 'claude', '--home', d.daemon.core.paths.home];
    // One call first: the adopted session is created, and Node's compile cache is warm.
    await timed(hookArgs, input);
    const rounds: HookRound[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const hook: number[] = [];
      const node: number[] = [];
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        const h = await timed(hookArgs, input);
        if (!h.out.includes('"permissionDecision":"allow"')) throw new HookBenchError(`the hook did not allow the Read: ${h.out.trim()}`);
        hook.push(h.ms);
        node.push((await timed(['-e', ''], '')).ms);
      }
      const [hookP50, nodeP50] = [median(hook), median(node)];
      rounds.push({
        hook_p50_ms: round(hookP50, 1),
        hook_p90_ms: round(percentile(hook, 90), 1),
        node_p50_ms: round(nodeP50, 1),
        added_p50_ms: round(hookP50 - nodeP50, 1),
      });
    }
    return { rounds, calls_per_round: CALLS_PER_ROUND, target_p50_ms: TARGET_P50_MS };
  } finally {
    await d.close();
  }
}

export function hookFigures(r: Awaited<ReturnType<typeof benchHookRoundTrip>>): Figure[] {
  const col = (k: keyof HookRound) => spread(r.rounds.map((x) => x[k]));
  return [
    {
      measure: `Hook round trip for a call policy allows (\`reins hook claude\` started, posts, answers; ${r.calls_per_round} calls per round), p50`,
      value: col('hook_p50_ms'),
      unit: 'duration-ms',
      target: { op: '<', value: r.target_p50_ms, text: `< ${r.target_p50_ms} ms` },
      absolute: `bare \`node -e ''\` start p50 ${col('node_p50_ms').median} ms; hook p90 ${col('hook_p90_ms').median} ms (medians over rounds)`,
    },
    {
      measure:
        "Hook round trip − the bare `node -e ''` start beside it, p50 (what the hook adds to starting Node: its modules, the loopback call, the core's decision)",
      value: col('added_p50_ms'),
      unit: 'ms',
      target: null,
      absolute: `hook p50 ${col('hook_p50_ms').median} ms − node p50 ${col('node_p50_ms').median} ms (medians over rounds)`,
    },
  ];
}
