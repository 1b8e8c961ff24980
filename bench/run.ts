/**
 * `npm run bench [name]`: runs every benchmark (or the one named), prints each figure against its
 * same-run baseline and a "MISSED: …" line per target missed, and writes bench/results.json and
 * bench/RESULTS.md (a single benchmark replaces only its own rows). Exits 1 when a target was missed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { agentApprovalFigures, benchAgentApprovals } from './agent-approvals.ts';
import { AGENT_SETUPS } from './agent-setups.ts';
import { agentTurnFigures, benchAgentTurns } from './agent-turns.ts';
import { approvalFigures, benchApprovalRoundTrip } from './approval-roundtrip.ts';
import { benchExport, exportFigures } from './export.ts';
import { benchHookRoundTrip, hookFigures } from './hook-roundtrip.ts';
import { benchIngestion, ingestionFigures } from './ingestion.ts';
import { mergeSingleBench, type StoredFigure, type StoredResults } from './merge-results.ts';
import { consoleSummary, missed, resultsMarkdown, type Figure, type RunInfo } from './report.ts';
import { benchRendererSession, rendererSessionFigures } from './renderer-session.ts';
import { benchTelegram, telegramFigures } from './telegram.ts';
import { benchToolCalls, toolCallFigures } from './tool-call-overhead.ts';
import { benchTurnOverhead, turnFigures } from './turn-overhead.ts';

/** A benchmark: how to run it and how its result reads as figures. */
interface Bench<T> {
  run(): Promise<T>;
  figures(result: T): Figure[];
}
const bench = <T>(run: () => Promise<T>, figures: (result: T) => Figure[]): Bench<unknown> => ({ run, figures: figures as (r: unknown) => Figure[] });

const BENCHES: Record<string, Bench<unknown>> = {
  approval_roundtrip: bench(() => benchApprovalRoundTrip(), approvalFigures),
  ingestion: bench(() => benchIngestion(), ingestionFigures),
  turn_overhead: bench(() => benchTurnOverhead(), turnFigures),
  tool_calls: bench(() => benchToolCalls(), toolCallFigures),
  telegram: bench(() => benchTelegram(), telegramFigures),
  hook_roundtrip: bench(() => benchHookRoundTrip(), hookFigures),
  ...Object.fromEntries(
    Object.values(AGENT_SETUPS).flatMap((agent) => [
      [`${agent.id}_approvals`, bench(() => benchAgentApprovals(agent), agentApprovalFigures(agent))],
      [`${agent.id}_turn`, bench(() => benchAgentTurns(agent), agentTurnFigures(agent))],
    ]),
  ),
  renderer_session: bench(() => benchRendererSession(), rendererSessionFigures),
  export: bench(() => benchExport(), exportFigures),
};

/** An unknown benchmark name was given on the command line. */
class UnknownBenchError extends Error {
  override readonly name = 'UnknownBenchError';
  constructor(name: string) {
    super(`No benchmark named "${name}". Run one of: ${Object.keys(BENCHES).join(', ')}, or none to run them all.`);
  }
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined && !(only in BENCHES)) throw new UnknownBenchError(only);
  const run: RunInfo = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage: loadavg(),
  };
  const results: Record<string, unknown> = { ...run };
  const figures: StoredFigure[] = [];
  const started = performance.now();
  for (const [name, b] of Object.entries(BENCHES)) {
    if (only !== undefined && only !== name) continue;
    process.stderr.write(`bench: ${name}…\n`);
    const t0 = performance.now();
    const r = await b.run();
    results[name] = r;
    figures.push(...b.figures(r).map((figure) => ({ ...figure, bench: name, missed: missed(figure) })));
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  results.seconds = Math.round((performance.now() - started) / 1000);
  results.figures = figures;
  process.stdout.write(`\n${consoleSummary(figures)}`);
  const resultsPath = fileURLToPath(new URL('./results.json', import.meta.url));
  let stored = results as StoredResults;
  if (only !== undefined) {
    if (!existsSync(resultsPath)) return;
    const previous = JSON.parse(readFileSync(resultsPath, 'utf8')) as StoredResults;
    stored = mergeSingleBench(previous, only, results[only], figures, { bench: only, date: run.date, loadAverage: run.loadAverage });
    process.stderr.write(`bench: ${only} rows replaced in bench/RESULTS.md (the other rows are from ${previous.date})\n`);
  }
  writeFileSync(resultsPath, `${JSON.stringify(stored, null, 2)}\n`);
  writeFileSync(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), resultsMarkdown(stored.figures, stored, stored.refreshed ?? []));
  if (figures.some(missed)) process.exitCode = 1;
}

main().catch((err) => {
  // fetch hides why it failed (a reset, a refused connection) in `cause`.
  const cause = (err as Error).cause;
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}${cause ? `\ncaused by: ${(cause as Error).stack ?? String(cause)}` : ''}\n`);
  process.exitCode = 1;
});
