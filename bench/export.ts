import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, parseConfig } from '../src-main/core/index.ts';
import { exportSession, type ExportFormat } from '../src-main/core/export/index.ts';
import { createRedactor } from '../src-main/core/redaction/index.ts';
import { seedSession } from '../test/helpers/seed-session.ts';
import type { Figure } from './report.ts';
import { round, spread } from './stats.ts';

/** Longest the core may be held by one export before approvals and agent output feel it. */
const TARGET_LONGEST_HOLD_MS = 300;

/** The longest gap between ticks of a 1 ms timer while `work` runs: how long the event loop was held. */
async function longestHold<T>(work: () => Promise<T>): Promise<{ result: T; totalMs: number; holdMs: number }> {
  let last = performance.now();
  let hold = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    hold = Math.max(hold, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  const result = await work();
  const totalMs = performance.now() - t0;
  hold = Math.max(hold, performance.now() - last);
  clearInterval(tick);
  return { result, totalMs, holdMs: hold };
}

/**
 * Transcripts of a 100 000-event session (seeded through the real store) in each format, in the core's
 * process: the whole export's time against reading the same log page by page (the floor: no redaction,
 * no rendering), and the longest the export held the event loop, since the core answers approvals and
 * agents on that loop meanwhile.
 */
export async function benchExport(rounds = 3, events = 100_000) {
  const dir = mkdtempSync(join(tmpdir(), 'reins-bench-export-'));
  const project = join(dir, 'project');
  mkdirSync(project);
  const home = join(dir, 'home');
  const sessionId = seedSession({ home, cwd: project, title: 'bench export', events });
  const core = createCore({ home, config: parseConfig({ port: 0 }), env: {} });
  const redact = createRedactor();
  const perFormat: Record<ExportFormat, { totalMs: number[]; holdMs: number[]; mb: number }> = {
    md: { totalMs: [], holdMs: [], mb: 0 },
    json: { totalMs: [], holdMs: [], mb: 0 },
    html: { totalMs: [], holdMs: [], mb: 0 },
  };
  const floorMs: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const floor = await longestHold(async () => {
        for (let after = 0, more = true; more; ) {
          const page = core.sessions.events(sessionId, after, 1000);
          more = page.more;
          after = page.nextAfter;
        }
      });
      floorMs.push(floor.totalMs);
      for (const format of ['md', 'json', 'html'] as const) {
        const run = await longestHold(() => exportSession(core, sessionId, format, redact));
        perFormat[format].totalMs.push(run.totalMs);
        perFormat[format].holdMs.push(run.holdMs);
        perFormat[format].mb = round(Buffer.byteLength(run.result.body) / 1024 / 1024, 1);
      }
    }
    return { events, floorMs, perFormat, targetHoldMs: TARGET_LONGEST_HOLD_MS };
  } finally {
    await core.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures of {@link benchExport}. */
export function exportFigures(r: Awaited<ReturnType<typeof benchExport>>): Figure[] {
  const floor = spread(r.floorMs).median;
  return (['md', 'json', 'html'] as const).flatMap((format): Figure[] => {
    const f = r.perFormat[format];
    return [
      {
        measure: `Transcript of ${r.events.toLocaleString('en-US')} events as ${format.toUpperCase()} (${f.mb} MB) / reading the same log page by page`,
        value: spread(f.totalMs.map((ms, i) => round(ms / (r.floorMs[i] ?? floor), 1))),
        unit: 'ratio',
        target: null,
        absolute: `export ${round(spread(f.totalMs).median)} ms, reading ${round(floor)} ms (medians)`,
      },
      {
        measure: `Transcript of ${r.events.toLocaleString('en-US')} events as ${format.toUpperCase()}: longest hold of the core's event loop, ms`,
        value: spread(f.holdMs),
        unit: 'duration-ms',
        target: { op: '<', value: r.targetHoldMs, text: `< ${r.targetHoldMs} ms` },
        absolute: `whole export ${round(spread(f.totalMs).median)} ms`,
      },
    ];
  });
}
