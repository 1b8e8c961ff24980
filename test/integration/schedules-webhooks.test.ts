/**
 * Schedules and webhooks through a real daemon (real SQLite, loopback HTTP, the Telegram bridge
 * against the fake Bot API, the scripted agent), with the core's clock and timers injected: a
 * schedule starts its session at its time and once after a simulated sleep, each start audited and
 * announced on the phone; signed webhook deliveries over real HTTP, refused when wrongly signed, stale
 * or replayed; `/schedule` pauses from the chat; the CLI adds, lists and removes.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, Schedule, Session, SessionEvent, WebhookSecretResponse } from '../../src-main/contract/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { createFileSecretStore } from '../../src-main/core/secrets/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { BOT_TOKEN_SECRET } from '../../src-main/surfaces/telegram/index.ts';
import { startFakeBotApi, type BotMessageView, type FakeBotApi } from '../fakes/bot-api/index.ts';
import { createScriptedRunner, scriptedDescriptor, type ScriptedRun } from '../fakes/scripted-runner.ts';
import { apiClient, type TestApi } from '../helpers/api-client.ts';
import { sleepyClock, type SleepyClock } from '../helpers/sleepy-clock.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { buttons, FAST_FAKE_LIMITS, FAST_TUNING } from './telegram-harness.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const exec = promisify(execFile);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let dir: ReturnType<typeof tempDir>;
let project: string;
let home: string;
let bot: FakeBotApi;
let ownerId: number;
let t: SleepyClock;
let runs: ScriptedRun[];
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: TestApi;

beforeAll(async () => {
  dir = tempDir('reins-automation-');
  project = join(dir.path, 'project');
  home = join(dir.path, 'home');
  mkdirSync(project);
  bot = await startFakeBotApi({ limits: FAST_FAKE_LIMITS });
  const owner = bot.addUser({ first_name: 'Olivia' });
  ownerId = owner.id;
  const secrets = createFileSecretStore(join(dir.path, 'secrets'));
  await secrets.set(BOT_TOKEN_SECRET, bot.token);
  const scripted = createScriptedRunner();
  runs = scripted.runs;
  // Monday 1 June 2026, 08:59 in New York (UTC−4).
  t = sleepyClock(Date.parse('2026-06-01T12:59:00Z'));
  const config = parseConfig({
    port: 0,
    telegram: { apiRoot: bot.url, ownerId },
    schedules: [{ name: 'report', cron: '0 9 * * *', timeZone: 'America/New_York', project, agent: 'scripted', prompt: 'write the daily report' }],
  });
  daemon = await startDaemon({
    home,
    config,
    env: {},
    agents: [scriptedDescriptor(scripted.runner)],
    clock: t.clock,
    timers: t.timers,
    secrets,
    telegram: { secrets, tuning: FAST_TUNING },
  });
  api = apiClient(daemon.url, daemon.token);
  // The owner has talked to the bot before (Telegram lets a bot write only to such users).
  bot.userSends(owner, owner.id, '/help');
  await bot.waitFor(() => bot.messages(owner.id).find((m) => m.text.includes('holds the reins')), 10_000, 'the bot to answer /help');
});

afterAll(async () => {
  await daemon?.stop();
  await bot?.close();
  dir?.remove();
});

const sessions = async (): Promise<Session[]> => (await api.get<{ sessions: Session[] }>('/sessions')).sessions;
const audit = async (): Promise<AuditEntry[]> => (await api.get<{ entries: AuditEntry[] }>('/audit?limit=200')).entries;
const waitMessage = (pred: (m: BotMessageView) => boolean, what: string): Promise<BotMessageView> =>
  bot.waitFor(() => bot.messages(ownerId).find(pred), 10_000, what);

/** The exact bytes a sender signs and posts, with the given headers. */
function sign(secret: string, body: string, timestamp: number): Record<string, string> {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { 'content-type': 'application/json', 'x-reins-timestamp': String(timestamp), 'x-reins-signature': `sha256=${mac}` };
}
const deliver = (name: string, body: string, headers: Record<string, string>) =>
  fetch(`${daemon.url}/api/v1/webhooks/${name}`, { method: 'POST', headers, body });

async function reins(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args, '--home', home], { timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe('schedules and webhooks', () => {
  it('a schedule starts its session at its time, and once after the computer slept through two of its times; both audited and announced', async () => {
    await t.advance(30_000);
    expect(await sessions()).toHaveLength(0);
    await t.advance(30_000);
    const [onTime] = await sessions();
    expect(onTime).toMatchObject({ agent: 'scripted', title: 'schedule report', cwd: project });
    expect(await waitFor(() => runs[0]?.messages[0], 'the first prompt')).toBe('write the daily report');
    const announced = await waitMessage((m) => m.text.includes('A schedule started a session'), 'the announcement');
    expect(announced.text).toContain('Started by the schedule "report" (0 9 * * *, America/New_York)');
    expect(announced.text).not.toContain('missed');

    // Asleep from Monday 09:05 to Wednesday 10:00 (New York): Tuesday's and Wednesday's 09:00 pass.
    await t.advance(5 * MINUTE);
    t.sleep(2 * 24 * HOUR + 55 * MINUTE);
    await t.advance(MINUTE);
    expect(await sessions()).toHaveLength(2);
    expect(await waitFor(() => runs[1]?.messages[0], 'the late prompt')).toBe('write the daily report');
    const late = await waitMessage((m) => m.text.includes('missed at'), 'the late announcement');
    expect(late.text).toContain('Started by the schedule "report" (0 9 * * *, America/New_York): missed at 09:00 while the computer slept; running now');
    await t.advance(10 * MINUTE);
    expect(await sessions()).toHaveLength(2);

    const entries = await audit();
    expect(entries.filter((e) => e.type === 'schedule.fired').map((e) => e.detail.missed)).toEqual([true, false]);
    expect(entries.filter((e) => e.type === 'session.created').every((e) => e.actor === 'schedule:report' && e.surface === 'schedule')).toBe(true);
    const [schedule] = (await api.get<{ schedules: Schedule[] }>('/schedules')).schedules;
    expect(schedule).toMatchObject({ name: 'report', source: 'config', enabled: true, nextRunAt: Date.parse('2026-06-04T13:00:00Z') });
  });

  it('/schedule lists the next run in the schedule’s zone and pauses it from the chat', async () => {
    bot.userSends({ id: ownerId, is_bot: false, first_name: 'Olivia' }, ownerId, '/schedule');
    const list = await waitMessage((m) => m.text.startsWith('Schedules'), 'the schedule list');
    expect(list.text).toContain('report 0 9 * * * (America/New_York) — next 2026-06-04 09:00 EDT');
    expect(buttons(list).map((b) => b.text)).toEqual(['⏸ Pause 1']);
    const query = bot.userTaps({ id: ownerId, is_bot: false, first_name: 'Olivia' }, ownerId, list.messageId, buttons(list)[0]!.callback_data);
    const toast = await bot.waitFor(() => bot.calls('answerCallbackQuery').find((c) => c.params.callback_query_id === query), 10_000, 'the toast');
    expect(toast.params.text).toBe('Paused report.');
    expect((await api.get<{ schedules: Schedule[] }>('/schedules')).schedules[0]).toMatchObject({ enabled: false, nextRunAt: null });
    expect((await audit()).find((e) => e.type === 'schedule.paused')).toMatchObject({ actor: `telegram:${ownerId}`, subject: 'report' });
  });

  it('a webhook delivery with a wrong signature, an old timestamp or a replayed body is refused; a good one starts a session with the filled prompt', async () => {
    const created = await api.post<WebhookSecretResponse>('/webhooks', {
      name: 'ci-failed',
      project,
      agent: 'scripted',
      promptTemplate: 'CI failed on {{branch}}: {{run.url}}. Find out why.',
    });
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify((await api.get('/webhooks')) as object)).not.toContain(created.secret);
    const now = Math.floor(t.clock.now() / 1000);
    const body = JSON.stringify({ branch: 'main', run: { url: 'https://ci.example/runs/7' } });
    const before = (await sessions()).length;

    const wrong = await deliver('ci-failed', body, sign('not-the-secret', body, now));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/signature does not match/);
    const stale = await deliver('ci-failed', body, sign(created.secret, body, now - 10 * 60));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { message: string } }).error.message).toMatch(/timestamp is more than 5 minutes/);
    const altered = await deliver('ci-failed', body.replace('main', 'prod'), sign(created.secret, body, now));
    expect(altered.status).toBe(401);
    const unknown = await deliver('deploy', body, sign(created.secret, body, now));
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain('ci-failed');
    expect((await deliver('ci-failed', 'x'.repeat(300 * 1024), sign(created.secret, 'x', now))).status).toBe(413);
    expect(await hostRefused(`/api/v1/webhooks/ci-failed`, body, sign(created.secret, body, now))).toBe(403);
    expect(await sessions()).toHaveLength(before);

    const good = await deliver('ci-failed', body, sign(created.secret, body, now));
    expect(good.status).toBe(202);
    const { sessionId } = (await good.json()) as { sessionId: string };
    const replay = await deliver('ci-failed', body, sign(created.secret, body, now));
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { error: { message: string } }).error.message).toMatch(/already accepted/);
    expect(await sessions()).toHaveLength(before + 1);

    const prompt = await waitFor(() => runs[before]?.messages[0], 'the webhook prompt');
    expect(prompt).toContain('[Started by the webhook "ci-failed".');
    expect(prompt).toContain(
      'CI failed on <untrusted-webhook-data>"main"</untrusted-webhook-data>: <untrusted-webhook-data>"https://ci.example/runs/7"</untrusted-webhook-data>. Find out why.',
    );
    const events = (await api.get<{ events: SessionEvent[] }>(`/sessions/${sessionId}/events`)).events;
    expect(events.find((e) => e.kind === 'message')).toMatchObject({ payload: { role: 'user', source: 'webhook' } });
    await waitMessage(
      (m) => m.text.includes('A webhook started a session') && m.text.includes('Started by the webhook "ci-failed"'),
      'the webhook announcement',
    );
    const entries = await audit();
    expect(entries.find((e) => e.type === 'webhook.accepted')).toMatchObject({ actor: 'webhook:ci-failed', subject: sessionId });
    const refusals = entries.filter((e) => e.type === 'webhook.refused').map((e) => e.detail.reason);
    expect(refusals).toEqual(expect.arrayContaining(['replayed', 'bad_signature', 'stale', 'unknown_webhook']));
    expect(JSON.stringify(entries)).not.toContain(created.secret);
  });

  it('the CLI adds, lists and removes schedules and webhooks, and leaves config ones to config.json', async () => {
    const added = await reins([
      'schedule',
      'add',
      '--name',
      'weekly',
      '--cron',
      '0 9 * * 1',
      '--tz',
      'Europe/Berlin',
      '--project',
      project,
      '--agent',
      'scripted',
      '--prompt',
      'tidy the backlog',
    ]);
    expect(added.err).toBe('');
    // The daemon's clock stands at Wednesday 3 June 2026: next Monday 09:00 in Berlin.
    expect(added.out).toBe('Added schedule weekly; next run 2026-06-08 09:00 CEST.\n');
    const listed = await reins(['schedule', 'list']);
    expect(listed.out).toMatch(/^NAME +CRON +TIME ZONE +NEXT RUN/);
    expect(listed.out).toMatch(/report +0 9 \* \* \* +America\/New_York +paused +scripted +ask +config/);
    expect(listed.out).toMatch(/weekly +0 9 \* \* 1 +Europe\/Berlin +next run 2026-06-08 09:00 CEST +scripted +ask +user/);
    expect(await reins(['schedule', 'rm', 'report'])).toMatchObject({
      code: 1,
      err: expect.stringContaining('Schedule "report" is defined in config.json; edit it there.'),
    });
    expect((await reins(['schedule', 'rm', 'weekly'])).out).toBe('Removed schedule weekly.\n');
    expect((await api.get<{ schedules: Schedule[] }>('/schedules')).schedules.map((x) => x.name)).toEqual(['report']);
    const bad = await reins([
      'schedule',
      'add',
      '--name',
      'x',
      '--cron',
      '0 9 * *',
      '--tz',
      'Europe/Berlin',
      '--project',
      project,
      '--agent',
      'scripted',
      '--prompt',
      'p',
    ]);
    expect(bad).toMatchObject({ code: 1, err: expect.stringMatching(/is not a cron expression .*five fields/) });

    const hook = await reins(['webhook', 'add', 'nightly-build', '--project', project, '--agent', 'scripted', '--prompt', 'Build {{id}} broke']);
    const secret = /Secret \(shown this once; Reins keeps it in the keychain\): ([A-Za-z0-9_-]{43})\n/.exec(hook.out)?.[1];
    expect(secret).toBeDefined();
    expect(hook.out).toContain(`POST ${daemon.url}/api/v1/webhooks/nightly-build`);
    const hooks = await reins(['webhook', 'list']);
    expect(hooks.out).toMatch(/nightly-build +\/api\/v1\/webhooks\/nightly-build +scripted +ask +user +secret store/);
    expect(hooks.out).not.toContain(secret);
    expect((await reins(['webhook', 'rm', 'nightly-build'])).out).toBe('Removed webhook nightly-build and its secret.\n');
    const body = '{"id":1}';
    const gone = await deliver('nightly-build', body, sign(secret!, body, Math.floor(t.clock.now() / 1000)));
    expect(gone.status).toBe(404);
  });
});

/** A correctly signed delivery whose Host names another site (DNS rebinding) is refused before the core sees it. */
function hostRefused(path: string, body: string, headers: Record<string, string>): Promise<number> {
  const url = new URL(daemon.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'POST', headers: { ...headers, host: 'attacker.example' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}
