import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session } from '../src-main/contract/index.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { percentile, round } from './stats.ts';

const AGENT = fileURLToPath(new URL('./agents/approval-agent.mjs', import.meta.url));

/**
 * Approval round trip Reins adds: agent request in → decision out, decided over the public API
 * by a WebSocket client the moment the approval frame appears. Timed inside the agent.
 */
export async function benchApprovalRoundTrip(count = 2000) {
  const outFile = join(tmpdir(), `reins-bench-${randomUUID()}.json`);
  // The agent inherits the core's environment, so that is how it learns where to write.
  const b = await benchDaemon(AGENT, { ...(process.env as Record<string, string>), BENCH_OUT: outFile });
  const stream = await b.api.stream();
  stream.ws.on('message', (d) => {
    const f = JSON.parse(String(d));
    if (f.type === 'approval' && f.approval.status === 'pending') {
      void b.api.raw('POST', `/approvals/${f.approval.id}/decision`, { decision: 'allow' });
    }
  });
  const { session } = await b.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: b.project, prompt: `APPROVALS:${count}` });
  await b.api.waitState(session.id, (s) => s.state === 'idle', 'all approvals', 600_000);
  const samples = (JSON.parse(readFileSync(outFile, 'utf8')) as number[]).map((us) => us / 1000);
  stream.close();
  await b.close();
  rmSync(outFile, { force: true });
  const warm = samples.slice(Math.min(100, Math.floor(samples.length / 10)));
  return {
    approvals: samples.length,
    p50_ms: round(percentile(warm, 50), 3),
    p99_ms: round(percentile(warm, 99), 3),
    max_ms: round(Math.max(...warm), 3),
    target_p99_ms: 10,
  };
}
