import { fileURLToPath } from 'node:url';
import type { Session } from '../src-main/contract/index.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { round } from './stats.ts';

const AGENT = fileURLToPath(new URL('../test/fakes/agent-cli/misbehaving-claude.mjs', import.meta.url));

/**
 * Event ingestion: an agent floods stdout with `lines` assistant lines; Reins parses, normalises
 * and persists them (batched per stdout chunk). Throughput = lines / (last event ts − first), and
 * the RSS growth while flooding shows memory stays bounded.
 */
export async function benchIngestion(lines = 300_000) {
  const b = await benchDaemon(AGENT, process.env as Record<string, string>);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
  const { session } = await b.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: b.project, prompt: `FLOOD:${lines}` });
  await b.api.waitState(session.id, (s) => s.state === 'idle', 'flood end', 600_000);
  clearInterval(sampler);
  const store = b.daemon.core;
  const first = store.sessions.events(session.id, 0, 20).events.find((e) => e.kind === 'message' && e.payload.role === 'assistant')!;
  const lastSeq = store.sessions.get(session.id).session.lastSeq;
  const last = store.sessions.events(session.id, lastSeq - 1, 1).events[0]!;
  const seconds = (last.ts - first.ts) / 1000;
  const persisted = last.seq;
  await b.close();
  return {
    lines,
    events_persisted: persisted,
    seconds: round(seconds, 3),
    lines_per_second: Math.round(lines / seconds),
    rss_growth_mb: round((rssPeak - rssBefore) / 1024 / 1024, 1),
    target_lines_per_second: 100_000,
  };
}
