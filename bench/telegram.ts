import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Approval, Session } from '../src-main/contract/index.ts';
import { parseConfig } from '../src-main/core/index.ts';
import { createFileSecretStore } from '../src-main/core/secrets/index.ts';
import { BOT_TOKEN_SECRET } from '../src-main/core/telegram/index.ts';
import { startDaemon } from '../src-main/daemon/index.ts';
import { startFakeAnthropic } from '../test/fakes/anthropic/index.ts';
import { startFakeBotApi, type CallRecord, type FakeBotApi } from '../test/fakes/bot-api/index.ts';
import { apiClient } from '../test/helpers/api-client.ts';
import { claudeBin, claudeChildEnv } from '../test/helpers/claude-env.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { median, percentile, round } from './stats.ts';

/** Telegram's per-chat window is 3 s; a turn starts only once the chat has been quiet that long. */
const QUIET_MS = 3100;

/** Resolves once the fake has seen no call but long polls for `ms`. */
async function quiet(bot: FakeBotApi, ms: number): Promise<void> {
  await waitFor(() => {
    const last = bot.calls().filter((c) => c.method !== 'getUpdates').at(-1);
    return !last || Date.now() - last.at >= ms;
  }, 'a quiet chat', 60_000, 50);
}

/**
 * The Telegram bridge with production limits and timings, the real `claude` behind the core and
 * the fake Bot API (which enforces Telegram's flood limits):
 * - time from an agent's approval request (as the core records it) to the approval card
 *   reaching the Bot API, one run after another;
 * - Bot API calls per run and edits per minute per live-status message, for busy runs (a tool
 *   call or a text about every second).
 */
export async function benchTelegram(approvals = 15, runs = 3) {
  const anthropic = await startFakeAnthropic();
  const bot = await startFakeBotApi();
  const dir = tempDir('reins-bench-tg-');
  const home = join(dir.path, 'home');
  const project = join(dir.path, 'project');
  const agentHome = join(dir.path, 'agent-home');
  for (const d of [project, agentHome]) mkdirSync(d, { recursive: true });
  writeFileSync(join(project, 'notes.txt'), 'notes\n');
  const owner = bot.addUser({ first_name: 'Bench' });
  bot.userSends(owner, owner.id, '/help');
  const secrets = createFileSecretStore(join(dir.path, 'secrets'));
  await secrets.set(BOT_TOKEN_SECRET, bot.token);
  const config = parseConfig({ port: 0, agents: { claude: { bin: claudeBin() } }, telegram: { apiRoot: bot.url, ownerId: owner.id } });
  const daemon = await startDaemon({ home, config, env: claudeChildEnv(anthropic.url, agentHome), telegram: { secrets } });
  const api = apiClient(daemon.url, daemon.token);
  await waitFor(() => daemon.telegram?.status().state === 'running', 'the bridge running', 20_000);
  await quiet(bot, QUIET_MS);

  // Approval latency: request → card at the Bot API.
  const samples: number[] = [];
  let session: Session | null = null;
  for (let i = 0; i < approvals; i++) {
    const prompt = `RUN: touch approved-${i}.txt`;
    if (session === null) session = (await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt })).session;
    else await api.post(`/sessions/${session.id}/messages`, { text: prompt });
    const sid = session.id;
    const a: Approval = await waitFor(async () => (await api.pending(sid))[0], 'an approval', 30_000, 5);
    const card: CallRecord = await bot.waitFor(() => bot.calls('sendMessage').find((c) => JSON.stringify(c.params.reply_markup ?? '').includes(`.${a.handle}.`)), 10_000, 'the card');
    samples.push(card.at - a.createdAt);
    const turns = (await api.events(sid)).filter((e) => e.kind === 'status' && e.payload.turn === 'ended').length;
    await api.post(`/approvals/${a.id}/decision`, { decision: 'allow' });
    await waitFor(async () => (await api.events(sid)).filter((e) => e.kind === 'status' && e.payload.turn === 'ended').length > turns, 'the turn end', 30_000);
    await quiet(bot, QUIET_MS);
  }

  // Busy runs: calls per run, edits per minute per live message.
  const firstCall = bot.calls().length;
  const steps = Array.from({ length: 6 }, (_, k) => `SLOW: 900 step ${k} going on\nTOOL: Read {"file_path":"${join(project, 'notes.txt')}"}`).join('\n');
  for (let r = 0; r < runs; r++) {
    const { session: s } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: `${steps}\nSAY: run ${r} finished` });
    await api.waitTurnEnd(s.id, 0, 60_000);
    await quiet(bot, QUIET_MS);
  }
  const calls = bot.calls().slice(firstCall).filter((c) => c.method !== 'getUpdates');
  const liveIds = new Map<number, number>();
  for (const c of calls) {
    const text = String(c.params.text ?? '');
    const id = (c.result as { message_id?: number } | undefined)?.message_id;
    if (c.method === 'sendMessage' && text.startsWith('⚙️') && !text.includes('finished') && id !== undefined) liveIds.set(id, c.at);
  }
  const edits = calls.filter((c) => c.method === 'editMessageText' && liveIds.has(Number(c.params.message_id)));
  let liveMinutes = 0;
  for (const [id, sentAt] of liveIds) {
    const last = edits.filter((c) => Number(c.params.message_id) === id).at(-1);
    liveMinutes += ((last?.at ?? sentAt) - sentAt) / 60_000;
  }

  await daemon.stop();
  await bot.close();
  await anthropic.close();
  dir.remove();
  return {
    approvals: samples.length,
    approval_p50_ms: round(median(samples), 1),
    approval_p99_ms: round(percentile(samples, 99), 1),
    approval_max_ms: round(Math.max(...samples), 1),
    target_p99_ms: 50,
    runs,
    calls_per_run: round(calls.length / runs, 1),
    calls_by_method: Object.fromEntries([...new Set(calls.map((c) => c.method))].map((m) => [m, calls.filter((c) => c.method === m).length])),
    live_messages: liveIds.size,
    edits_per_minute_per_live_message: round(liveMinutes > 0 ? edits.length / liveMinutes : 0, 1),
    target_edits_per_minute: 30,
    rate_limit_violations: bot.violations.length,
  };
}
