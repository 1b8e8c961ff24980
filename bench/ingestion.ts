import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session } from '../src-main/contract/index.ts';
import { openDatabase } from '../src-main/core/store/index.ts';
import { benchDaemon } from './daemon-fixture.ts';
import { rawInsertRate, type EventRow } from './raw-insert.ts';
import type { Figure } from './report.ts';
import { round, spread } from './stats.ts';

const AGENT = fileURLToPath(new URL('../test/fakes/agent-cli/misbehaving-claude.mjs', import.meta.url));

/** Reins must ingest at least this share of the raw batched insert's rate… */
const TARGET_SHARE_OF_BATCHED = 0.5;
/** …and at least this multiple of one autocommit INSERT per row. */
const TARGET_TIMES_AUTOCOMMIT = 20;
/**
 * Rows per transaction of the batched baseline: about what one 64 KiB read of the agent's pipe
 * holds at the flood's ~250 bytes per line, since Reins commits once per stdout chunk.
 */
const BATCH_ROWS = 256;
/** Rows the autocommit baseline inserts (a slice of the flood: one commit per row is slow). */
const AUTOCOMMIT_ROWS = 20_000;

/** The flood did not land as sent, so there is no rate to compare. */
class IngestionBenchError extends Error {
  override readonly name = 'IngestionBenchError';
}

/** One round: Reins' rate for a flood, and the baselines' rates for the same rows. */
interface IngestionRound {
  reins_lines_per_second: number;
  batched_rows_per_second: number;
  autocommit_rows_per_second: number;
  share_of_batched: number;
  times_autocommit: number;
  batched_times_autocommit: number;
}

/**
 * Event ingestion: an agent floods stdout with `lines` assistant lines; Reins parses, normalises
 * and persists them (batched per stdout chunk). Reins' rate = lines / (last event ts − first);
 * the same rows, read back from Reins' database, are then inserted raw into a fresh database,
 * batched and one by one. The RSS growth while flooding shows memory stays bounded.
 */
export async function benchIngestion(rounds = 5, lines = 200_000) {
  const b = await benchDaemon(AGENT, process.env as Record<string, string>);
  const reader = openDatabase(join(b.dir, 'home', 'reins.db'), { readonly: true });
  const rowsOf = reader.prepare<[string], EventRow>('SELECT seq, ts, kind, payload FROM events WHERE session_id = ? ORDER BY seq');
  try {
    const results: IngestionRound[] = [];
    let rssGrowth = 0;
    for (let r = 0; r < rounds; r++) {
      // The core runs in this process: its RSS while the agent floods, against just before.
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
      const { session } = await b.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: b.project, prompt: `FLOOD:${lines}` });
      await b.api.waitState(session.id, (s) => s.state === 'idle', 'flood end', 600_000);
      clearInterval(sampler);
      rssGrowth = Math.max(rssGrowth, rssPeak - rssBefore);
      await b.api.post(`/sessions/${session.id}/stop`);
      const rows = rowsOf.all(session.id);
      const flood = rows.filter((row) => row.kind === 'message' && (JSON.parse(row.payload) as { role?: string }).role === 'assistant');
      if (flood.length !== lines)
        throw new IngestionBenchError(`Reins stored ${flood.length} of the ${lines} flood lines: the ingestion bench cannot compare rates.`);
      const seconds = (flood.at(-1)!.ts - flood[0]!.ts) / 1000;
      const reins = lines / seconds;
      const batched = await rawInsertRate(rows, { batchRows: BATCH_ROWS });
      const autocommit = await rawInsertRate(rows.slice(0, AUTOCOMMIT_ROWS), 'autocommit');
      results.push({
        reins_lines_per_second: Math.round(reins),
        batched_rows_per_second: Math.round(batched),
        autocommit_rows_per_second: Math.round(autocommit),
        share_of_batched: round(reins / batched, 3),
        times_autocommit: round(reins / autocommit, 2),
        batched_times_autocommit: round(batched / autocommit, 2),
      });
    }
    return {
      lines_per_round: lines,
      rss_growth_mb: round(rssGrowth / 1024 / 1024, 1),
      batch_rows: BATCH_ROWS,
      autocommit_rows: AUTOCOMMIT_ROWS,
      target_share_of_batched: TARGET_SHARE_OF_BATCHED,
      target_times_autocommit: TARGET_TIMES_AUTOCOMMIT,
      rounds: results,
    };
  } finally {
    reader.close();
    await b.close();
  }
}

/** The figures of {@link benchIngestion}. */
export function ingestionFigures(r: Awaited<ReturnType<typeof benchIngestion>>): Figure[] {
  const col = (k: keyof IngestionRound) => spread(r.rounds.map((x) => x[k]));
  const rate = (k: keyof IngestionRound) => `${col(k).median.toLocaleString('en-US')}/s`;
  return [
    {
      measure: `Event ingestion (${r.lines_per_round.toLocaleString('en-US')} agent lines parsed, normalised, persisted) / a raw batched INSERT of the same rows (${r.batch_rows} per transaction, no parsing)`,
      value: col('share_of_batched'),
      unit: 'percent',
      target: { op: '>=', value: r.target_share_of_batched, text: `≥ ${r.target_share_of_batched * 100} %` },
      absolute: `Reins ${rate('reins_lines_per_second')} lines; raw batched ${rate('batched_rows_per_second')} rows (medians over rounds)`,
    },
    {
      measure: 'Event ingestion / one autocommit INSERT per row of the same rows',
      value: col('times_autocommit'),
      unit: 'ratio',
      target: { op: '>=', value: r.target_times_autocommit, text: `≥ ${r.target_times_autocommit}×` },
      absolute: `autocommit ${rate('autocommit_rows_per_second')} rows (${r.autocommit_rows.toLocaleString('en-US')} rows each round); the raw batched INSERT itself is ${col('batched_times_autocommit').median}× autocommit (medians over rounds)`,
    },
    {
      measure: `Core RSS growth while an agent floods stdout (MB, the most of ${r.rounds.length} floods)`,
      value: spread([r.rss_growth_mb]),
      unit: 'count',
      target: { op: '<', value: 200, text: '< 200 MB (bounded)' },
      absolute: `${r.lines_per_round.toLocaleString('en-US')} lines per flood`,
    },
  ];
}
