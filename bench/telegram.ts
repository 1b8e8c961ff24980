import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, StreamFrame } from '../src-main/contract/index.ts';
import { parseConfig } from '../src-main/core/index.ts';
import { createFileSecretStore } from '../src-main/core/secrets/index.ts';
import { BOT_TOKEN_SECRET } from '../src-main/surfaces/telegram/index.ts';
import { startDaemon } from '../src-main/daemon/index.ts';
import { startFakeAnthropic } from '../test/fakes/anthropic/index.ts';
import { startFakeBotApi, type CallRecord, type FakeBotApi } from '../test/fakes/bot-api/index.ts';
import { apiClient } from '../test/helpers/api-client.ts';
import { claudeBin, claudeChildEnv } from '../test/helpers/claude-env.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { eventOf, frameAfter, turnEnded } from './frames.ts';
import type { Figure } from './report.ts';
import { median, round, spread } from './stats.ts';

/**
 * The outbox lets 3 calls into the owner's private chat in any 3 s and edits a live message at
 * most every 2 s (surfaces/telegram/tuning.ts): once no call has gone out for longer than both, nothing
 * queued or pending can hold a card back, so the card's latency is Reins' own.
 */
const QUIET_MS = 3100;
/** Resolves once the fake has seen no call from the outbox (long polls and the bench's own aside) for `ms`. */
async function quiet(bot: FakeBotApi, ms: number): Promise<void> {
  await waitFor(
    () => {
      const last = bot
        .calls()
        .filter((c) => c.method !== 'getUpdates' && c.method !== 'getMe')
        .at(-1);
      return !last || Date.now() - last.at >= ms;
    },
    'a quiet chat',
    60_000,
    50,
  );
}

/** One round: a session's approval cards against bare Bot API calls taken between them. */
interface TelegramRound {
  card_p50_ms: number;
  card_max_ms: number;
  bare_p50_ms: number;
  bare_max_ms: number;
  p50_ratio: number;
  max_ratio: number;
}

/**
 * The Telegram bridge with production limits and timings, the real `claude` behind the core and
 * the fake Bot API (which enforces Telegram's flood limits):
 * - time from an agent's approval request (as the core records it) to the approval card reaching
 *   the Bot API, one approval after another in a quiet chat, against the round trip of a bare
 *   `getMe` call to the same fake from this process, one timed before each approval;
 * - Bot API calls per run and edits per minute per live-status message, for busy runs (a tool
 *   call or a text about every second).
 */
export async function benchTelegram(rounds = 5, approvalsPerRound = 3, runs = 3) {
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
  const stream = await api.stream();
  await quiet(bot, QUIET_MS);
  const bare = async (): Promise<number> => {
    const t0 = performance.now();
    const res = await fetch(`${bot.url}/bot${bot.token}/getMe`);
    await res.json();
    return performance.now() - t0;
  };

  // Approval latency: request → card at the Bot API, against bare calls, one session per round.
  const results: TelegramRound[] = [];
  let counter = 0;
  for (let r = 0; r < rounds; r++) {
    const cards: number[] = [];
    const bares: number[] = [];
    let session: Session | null = null;
    for (let i = 0; i < approvalsPerRound; i++) {
      // One bare call before each card: as many baseline samples as cards, taken in the same quiet.
      bares.push(await bare());
      const prompt = `RUN: touch approved-${counter++}.txt`;
      const from = stream.frames.length;
      if (session === null) session = (await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt })).session;
      else await api.post(`/sessions/${session.id}/messages`, { text: prompt });
      const sid = session.id;
      const frame = await frameAfter(
        stream,
        from,
        (f) => f.type === 'approval' && f.approval.sessionId === sid && f.approval.status === 'pending',
        'an approval',
      );
      const a = (frame as Extract<StreamFrame, { type: 'approval' }>).approval;
      const card: CallRecord = await bot.waitFor(
        () => bot.calls('sendMessage').find((c) => JSON.stringify(c.params.reply_markup ?? '').includes(`.${a.handle}.`)),
        10_000,
        'the card',
      );
      cards.push(card.at - a.createdAt);
      await api.post(`/approvals/${a.id}/decision`, { decision: 'allow' });
      await frameAfter(stream, from, eventOf(sid, turnEnded), 'the turn end');
      await quiet(bot, QUIET_MS);
    }
    await api.post(`/sessions/${session!.id}/stop`);
    await quiet(bot, QUIET_MS);
    results.push({
      card_p50_ms: median(cards),
      card_max_ms: Math.max(...cards),
      bare_p50_ms: round(median(bares), 3),
      bare_max_ms: round(Math.max(...bares), 3),
      p50_ratio: round(median(cards) / median(bares), 2),
      max_ratio: round(Math.max(...cards) / Math.max(...bares), 2),
    });
  }

  // Busy runs: calls per run, edits per minute per live message.
  const firstCall = bot.calls().length;
  const steps = Array.from({ length: 6 }, (_, k) => `SLOW: 900 step ${k} going on\nTOOL: Read {"file_path":"${join(project, 'notes.txt')}"}`).join('\n');
  for (let r = 0; r < runs; r++) {
    const { session: s } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: `${steps}\nSAY: run ${r} finished` });
    await api.waitTurnEnd(s.id, 0, 60_000);
    await quiet(bot, QUIET_MS);
  }
  const calls = bot
    .calls()
    .slice(firstCall)
    .filter((c) => c.method !== 'getUpdates');
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

  stream.close();
  await daemon.stop();
  await bot.close();
  await anthropic.close();
  dir.remove();
  return {
    approvals_per_round: approvalsPerRound,
    rounds: results,
    busy_runs: runs,
    calls_per_run: round(calls.length / runs, 1),
    calls_by_method: Object.fromEntries([...new Set(calls.map((c) => c.method))].map((m) => [m, calls.filter((c) => c.method === m).length])),
    live_messages: liveIds.size,
    edits_per_minute_per_live_message: round(liveMinutes > 0 ? edits.length / liveMinutes : 0, 1),
    target_edits_per_minute: 30,
    rate_limit_violations: bot.violations.length,
  };
}

/** The figures of {@link benchTelegram}. */
export function telegramFigures(r: Awaited<ReturnType<typeof benchTelegram>>): Figure[] {
  const col = (k: keyof TelegramRound) => spread(r.rounds.map((x) => x[k]));
  const one = (v: number) => spread([v]);
  return [
    {
      measure: 'Telegram: agent approval request → card at the Bot API / a bare Bot API round trip, p50',
      value: col('p50_ratio'),
      unit: 'ratio',
      target: null,
      absolute: `card p50 ${col('card_p50_ms').median} ms (whole ms); bare call p50 ${col('bare_p50_ms').median} ms (medians over rounds)`,
    },
    {
      measure: `Telegram: card / bare round trip, the slowest of each (${r.approvals_per_round} of each per round)`,
      value: col('max_ratio'),
      unit: 'ratio',
      target: null,
      absolute: `slowest card ${col('card_max_ms').median} ms; slowest bare call ${col('bare_max_ms').median} ms (medians over rounds)`,
    },
    {
      measure: `Telegram: Bot API calls per busy run (${r.busy_runs} runs)`,
      value: one(r.calls_per_run),
      unit: 'count',
      target: null,
      absolute: JSON.stringify(r.calls_by_method),
    },
    {
      measure: 'Telegram: edits per minute per live message',
      value: one(r.edits_per_minute_per_live_message),
      unit: 'count',
      target: { op: '<=', value: r.target_edits_per_minute, text: `≤ ${r.target_edits_per_minute} (one per 2 s)` },
      absolute: `${r.live_messages} live messages`,
    },
    {
      measure: 'Telegram: flood-limit violations seen by the Bot API',
      value: one(r.rate_limit_violations),
      unit: 'count',
      target: { op: '<=', value: 0, text: '0' },
      absolute: '—',
    },
  ];
}
