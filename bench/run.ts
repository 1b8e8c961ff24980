/**
 * `npm run bench`: runs every benchmark, writes bench/results.json and the table in
 * bench/RESULTS.md. Figures are ratios and percentiles measured on this machine.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchApprovalRoundTrip } from './approval-roundtrip.ts';
import { benchIngestion } from './ingestion.ts';
import { benchTelegram } from './telegram.ts';
import { benchTurnOverhead } from './turn-overhead.ts';

type Row = [name: string, figure: string, target: string, ok: boolean];

async function main(): Promise<void> {
  const only = process.argv[2];
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
  const rows: Row[] = [];
  const step = async <T>(name: string, fn: () => Promise<T>, toRows: (r: T) => Row[]): Promise<void> => {
    if (only && only !== name) return;
    process.stderr.write(`bench: ${name}…\n`);
    const r = await fn();
    results[name] = r;
    rows.push(...toRows(r));
    process.stderr.write(`bench: ${name} ${JSON.stringify(r)}\n`);
  };
  await step('approval_roundtrip', () => benchApprovalRoundTrip(), (r) => [
    ['Approval round trip p50 (agent request → decision, API client)', `${r.p50_ms} ms`, '—', true],
    [`Approval round trip p99 (${r.approvals} approvals)`, `${r.p99_ms} ms`, '< 10 ms', r.p99_ms < 10],
  ]);
  await step('ingestion', () => benchIngestion(), (r) => [
    [`Event ingestion (${r.lines} lines parsed, normalised, persisted)`, `${r.lines_per_second.toLocaleString('en-US')} lines/s`, '≥ 100,000 lines/s', r.lines_per_second >= 100_000],
    ['Core RSS growth while the agent floods stdout', `${r.rss_growth_mb} MB`, 'bounded', r.rss_growth_mb < 200],
  ]);
  await step('turn_overhead', () => benchTurnOverhead(), (r) => [
    [`Reins-managed claude turn / raw CLI turn (median of ${r.rounds})`, `${r.ratio} (${r.reins_median_ms} / ${r.raw_median_ms} ms)`, '≤ 1.05', r.ratio <= 1.05],
  ]);
  await step('telegram', () => benchTelegram(), (r) => [
    ['Telegram: agent approval request → card at the Bot API, p50 (loopback, Telegram limits)', `${r.approval_p50_ms} ms`, '—', true],
    [`Telegram: agent approval request → card at the Bot API, p99 (${r.approvals} approvals)`, `${r.approval_p99_ms} ms`, '< 50 ms', r.approval_p99_ms < 50],
    [`Telegram: Bot API calls per busy run (${r.runs} runs)`, `${r.calls_per_run}`, '—', true],
    ['Telegram: edits per minute per live message', `${r.edits_per_minute_per_live_message}`, '≤ 30 (one per 2 s)', r.edits_per_minute_per_live_message <= 30],
    ['Telegram: flood-limit violations seen by the Bot API', `${r.rate_limit_violations}`, '0', r.rate_limit_violations === 0],
  ]);
  const json = `${JSON.stringify(results, null, 2)}\n`;
  process.stdout.write(json);
  if (!only) {
    writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), json);
    const md = [
      '# Benchmarks',
      '',
      `Measured by \`npm run bench\` on ${results.date as string} (Node ${process.version}, ${results.cores as number} cores, ${results.cpu as string}). Raw figures: [results.json](results.json).`,
      '',
      '| measure | result | target | met |',
      '|---|---|---|---|',
      ...rows.map(([n, f, t, ok]) => `| ${n} | ${f} | ${t} | ${ok ? 'yes' : '**no**'} |`),
      '',
    ].join('\n');
    writeFileSync(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), md);
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
