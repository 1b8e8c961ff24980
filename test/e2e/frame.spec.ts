import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { Grant, Session } from '../../src-main/contract/domain.ts';
import { openApp } from './support/open-app.ts';

// The window's frame in Chromium (the same major as Electron 45's), served by a real core: the real
// `claude` CLI against the fake Anthropic API, terminal sessions in /bin/sh, and the Telegram bridge
// against the fake Bot API. The page runs under the strict CSP; every test fails on a console error
// or a CSP violation.

interface Core {
  url: string;
  token: string;
  project: string;
  otherProject: string;
  botToken: string;
}

const root = resolve(import.meta.dirname, '..', '..');
const screenshots = join(root, 'docs', 'screenshots');
let child: ChildProcessWithoutNullStreams;
let core: Core;

test.beforeAll(async () => {
  child = spawn(process.execPath, ['test/e2e/support/serve-frame.ts'], {
    cwd: root,
    env: { ...process.env, REINS_LOG_LEVEL: 'warn', REINS_SECRET_STORE: 'file' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  core = await new Promise<Core>((done, fail) => {
    lines.once('line', (line) => done(JSON.parse(line) as Core));
    child.once('exit', (code) => fail(new Error(`serve-frame exited with ${code}: ${stderr}`)));
  });
});

test.afterAll(async () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
});

/** A call of the core's API, as a test's own client. */
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${core.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${core.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(json)}`);
  return json;
}

async function waitForSession(id: string, ok: (session: Session) => boolean): Promise<Session> {
  let last: Session | undefined;
  await expect
    .poll(
      async () => {
        last = (await api<{ session: Session }>('GET', `/sessions/${id}`)).session;
        return ok(last);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  return last!;
}

async function startSession(agent: string, cwd: string, prompt: string, extra: Record<string, unknown> = {}): Promise<Session> {
  return (await api<{ session: Session }>('POST', '/sessions', { agent, cwd, prompt, ...extra })).session;
}

/** A session titled `prompt` that is not stopped, started (and waited for) when there is none. */
async function ensureSession(agent: string, prompt: string, ready: (session: Session) => boolean): Promise<Session> {
  const { sessions } = await api<{ sessions: Session[] }>('GET', '/sessions');
  const found = sessions.find((s) => s.agent === agent && s.title === prompt && s.state !== 'stopped');
  const session = found ?? (await startSession(agent, core.project, prompt));
  return waitForSession(session.id, ready);
}

/** Page errors, console errors and CSP violations (also recorded by the page itself, see below). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.request().method()} ${new URL(response.url()).pathname} → ${response.status()}`);
  });
  return errors;
}

/** The errors besides the browser's report of a request the test made fail on purpose (a 400). */
function besidesRefusals(errors: string[]): string[] {
  return errors.filter((error) => !error.includes('the server responded with a status of 400') && !error.endsWith('→ 400'));
}

/** Every CSP violation the page saw (the event fires even where the console message would not). */
async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__csp');
}

// Page-side scripts are strings: the tests compile without the DOM library.
const RECORD_CSP_VIOLATIONS = `
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__csp.push(e.violatedDirective + ': ' + e.blockedURI + ' ' + e.sample + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber));
`;

/** Records every Notification the page constructs (the real one is still made and shown). */
const RECORD_NOTIFICATIONS = `
  window.__notes = [];
  const Native = window.Notification;
  window.Notification = class extends Native {
    constructor(title, options) {
      super(title, options);
      window.__notes.push(this);
    }
  };
`;

test.beforeEach(async ({ page }) => {
  await page.addInitScript({ content: RECORD_CSP_VIOLATIONS });
});

test('the sidebar lists sessions with their agent, project, state and approvals, and filters them', async ({ page }) => {
  const errors = watchErrors(page);
  const waiting = (await api<{ session: Session }>('POST', '/sessions', { agent: 'claude', cwd: core.project, prompt: 'RUN: rm -rf build' })).session;
  const shell = (await api<{ session: Session }>('POST', '/sessions', { agent: 'terminal', cwd: core.otherProject, prompt: 'echo sidebar' })).session;
  // A session started outside Reins, seen through its hook: an allowed read creates it.
  const hook = await api<{ decision: string; sessionId: string }>('POST', '/hooks/tool-call', {
    agent: 'claude',
    sessionId: 'outside-1',
    cwd: core.project,
    tool: 'Read',
    input: { file_path: join(core.project, 'README.md') },
    budgetMs: 5000,
  });
  expect(hook.decision).toBe('allow');
  await waitForSession(waiting.id, (s) => s.waitingFor === 'approval');

  await openApp(page, core);
  const list = page.getByRole('list', { name: 'Sessions' });
  await expect(list.getByRole('button')).toHaveCount(3);
  const waitingItem = list.locator(`[data-session-id="${waiting.id}"]`);
  await expect(waitingItem).toContainText('RUN: rm -rf build');
  await expect(waitingItem).toContainText('Claude Code');
  await expect(waitingItem).toContainText('waiting for approval');
  await expect(waitingItem.locator('.badge')).toContainText('1');
  await expect(waitingItem.locator('.project')).toHaveAttribute('title', core.project);
  await expect(waitingItem.locator('time')).toHaveText(/just now|min/);
  await expect(list.locator(`[data-session-id="${hook.sessionId}"]`)).toContainText('adopted');
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Needs you/ })).toContainText('1');

  await page.getByRole('searchbox', { name: 'Filter sessions' }).fill('website');
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(list.locator(`[data-session-id="${shell.id}"]`)).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter sessions' }).fill('');
  await page.getByRole('combobox', { name: 'State' }).selectOption('waiting');
  await expect(list.getByRole('button')).toHaveCount(1);
  await expect(waitingItem).toBeVisible();
  await page.getByRole('combobox', { name: 'State' }).selectOption('');
  await page.getByRole('combobox', { name: 'Agent' }).selectOption('terminal');
  await expect(list.getByRole('button')).toHaveCount(1);
  await page.getByRole('combobox', { name: 'Agent' }).selectOption('');

  // Choosing one opens it.
  await waitingItem.click();
  await expect(waitingItem).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('RUN: rm -rf build');

  // Leave nothing waiting for the tests that follow.
  const { approvals } = await api<{ approvals: { id: string }[] }>('GET', '/approvals?status=pending');
  for (const approval of approvals) await api('POST', `/approvals/${approval.id}/decision`, { decision: 'deny' });
  await api('POST', `/sessions/${shell.id}/stop`);
  expect(await cspViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('the new-session form starts a session with the chosen agent and mode, and shows API errors in one line', async ({ page }) => {
  const errors = watchErrors(page);
  const earlier = await startSession('claude', core.project, 'SAY: an earlier session');
  // Its answer is its last activity: done before the next session starts, so the order is certain.
  await waitForSession(earlier.id, (s) => s.state === 'idle');
  const recentShell = await startSession('terminal', core.otherProject, 'echo recent');
  await api('POST', `/sessions/${recentShell.id}/stop`);
  await openApp(page, core);
  await page.getByRole('button', { name: 'New session' }).click();
  const form = page.getByRole('region', { name: 'New session' });

  // Recent projects come from earlier sessions, most recent first.
  const recent = form.getByRole('list', { name: 'Recent projects' });
  await expect(recent.getByRole('button').first()).toHaveText('website');
  await recent.getByRole('button', { name: 'project' }).click();
  await expect(form.getByLabel('Folder')).toHaveValue(core.project);

  // Agents show what they can do; missing ones say how to install them and cannot be chosen.
  const claude = form.getByRole('radio', { name: /Claude Code/ });
  await expect(claude).toBeEnabled();
  await expect(form.locator('.agent-choice', { has: page.getByRole('radio', { name: /Claude Code/ }) })).toContainText('asks before risky calls');
  await expect(form.locator('.agent-choice.missing').first()).toContainText('Not installed:');
  await claude.check();
  await expect(form.getByRole('checkbox', { name: /Plan first/ })).toBeVisible();
  await form.getByRole('radio', { name: /Auto/ }).check();
  await form.getByLabel('Prompt').fill('SAY: started from the form');

  // An error from the API: one line, under the button.
  await form.getByLabel('Folder').fill('/no/such/folder/anywhere');
  await form.getByRole('button', { name: 'Start session' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toHaveCSS('white-space', 'nowrap');

  await form.getByLabel('Folder').fill(core.project);
  await form.getByRole('button', { name: 'Start session' }).click();
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('started from the form');
  const { sessions } = await api<{ sessions: Session[] }>('GET', '/sessions');
  const started = sessions.find((s) => s.title.includes('started from the form'));
  expect(started).toMatchObject({ agent: 'claude', mode: 'auto', cwd: core.project });
  expect(besidesRefusals(errors)).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

test('a terminal session runs a real shell: history, live output, typed keys', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, core);
  await page.getByRole('button', { name: 'New session' }).click();
  const form = page.getByRole('region', { name: 'New session' });
  await form.getByLabel('Folder').fill(core.project);
  await form.getByRole('radio', { name: /Terminal/ }).check();
  await form.getByLabel('First command').fill('echo frame-$((6*7))');
  await form.getByRole('button', { name: 'Start session' }).click();

  const terminal = page.getByRole('region', { name: 'Terminal' });
  const rows = terminal.locator('.xterm-rows');
  await expect(rows).toContainText('frame-42', { timeout: 15_000 });
  // Keystrokes go to the shell; its answer comes back live.
  await terminal.locator('.xterm').click();
  await page.keyboard.type('echo typed-$((2+3))');
  await page.keyboard.press('Enter');
  await expect(rows).toContainText('typed-5');
  // The size follows the view: the shell sees the columns xterm.js fitted.
  await page.keyboard.type('stty size');
  await page.keyboard.press('Enter');
  await expect(rows).toContainText(/\d+ \d+/);
  const lines = await rows.locator(':scope > div').allTextContents();
  const reported = lines.map((line) => /^(\d+) (\d+)\s*$/.exec(line)).find(Boolean);
  expect(Number(reported?.[1])).toBe(lines.length);
  expect(Number(reported?.[2])).toBeGreaterThan(40);

  // True colour: xterm.js styles such cells through a style attribute, which the CSP must not block.
  await page.keyboard.type("printf '\\033[38;2;255;0;0mtruecolour\\033[0m\\n'");
  await page.keyboard.press('Enter');
  await expect(rows.locator('span', { hasText: /^truecolour$/ })).toHaveCSS('color', 'rgb(255, 0, 0)');

  // No keyboard trap: Escape then Tab leaves the terminal.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await page.evaluate<boolean>("document.activeElement.closest('.xterm') === null")).toBe(true);

  // Reopened, the stored output is written again (history), then live output continues.
  await page.reload();
  const { sessions } = await api<{ sessions: Session[] }>('GET', '/sessions');
  const shell = sessions.find((s) => s.agent === 'terminal' && s.title === 'echo frame-$((6*7))')!;
  await page.locator(`[data-session-id="${shell.id}"]`).click();
  await expect(rows).toContainText('typed-5');
  await api('POST', `/sessions/${shell.id}/stop`);
  expect(await cspViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('settings: bot token and pairing QR, grants revoked, agents, audit verified', async ({ page }) => {
  const errors = watchErrors(page);
  // A project grant needs a project Reins knows: one a session ran in.
  const known = await startSession('terminal', core.project, 'echo known');
  await api('POST', `/sessions/${known.id}/stop`);
  const grant = (
    await api<{ grant: Grant }>('POST', '/grants', { scope: 'project', cwd: core.project, tool: 'shell', matcher: { kind: 'command', command: 'npm test' } })
  ).grant;
  await openApp(page, core);
  await page.getByRole('button', { name: 'Settings' }).click();

  const safety = page.getByRole('region', { name: 'Budgets and passcode' });
  await expect(safety.getByRole('status', { name: 'Spending today' })).toHaveText(/^Today \(\d{4}-\d\d-\d\d\): \$[\d.]+, [\d.k]+ tokens\. No daily limit\.$/);
  await expect(safety.getByRole('status', { name: 'Passcode' })).toHaveText(
    'No passcode: critical approvals and policy changes from the phone need only a tap.',
  );

  const telegram = page.getByRole('region', { name: 'Telegram' });
  await expect(telegram.getByTestId('telegram-state')).toHaveText('No bot token yet');
  await telegram.getByLabel('Bot token from @BotFather').fill('not-a-token');
  await telegram.getByRole('button', { name: 'Save token' }).click();
  await expect(telegram.getByRole('alert')).toContainText('BotFather');
  await telegram.getByLabel('Bot token from @BotFather').fill(core.botToken);
  await telegram.getByRole('button', { name: 'Save token' }).click();
  await expect(telegram.getByTestId('telegram-state')).toHaveText('Ready; not paired with your phone');
  await expect(telegram).toContainText('stored in the secrets file');
  await expect(telegram).not.toContainText(core.botToken);
  await expect(telegram).toContainText('off: sessions go to the private chat');
  await telegram.getByRole('button', { name: 'Pair your phone' }).click();
  const qr = telegram.getByRole('img', { name: 'QR code of the Telegram pairing link' });
  await expect(qr).toBeVisible();
  await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
  expect(await page.evaluate<boolean>("(() => { const img = document.querySelector('img.qr'); return img.complete && img.naturalWidth > 100; })()")).toBe(true);
  await expect(telegram.getByRole('link')).toHaveAttribute('href', /^https:\/\/t\.me\/[A-Za-z0-9_]+\?start=[A-Za-z0-9_-]{24}$/);

  const grants = page.getByRole('region', { name: 'Modes and grants' });
  const row = grants.locator(`[data-grant-id="${grant.id}"]`);
  await expect(row).toContainText('Allows the command `npm test` exactly in project project');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toHaveCount(0);
  expect((await api<{ grants: Grant[] }>('GET', '/grants')).grants.map((g) => g.id)).not.toContain(grant.id);

  const agents = page.getByRole('region', { name: 'Agents' });
  await expect(agents.locator('[data-agent-id="claude"]')).toContainText('installed');
  await expect(agents.locator('[data-agent-id="claude"] .version')).toHaveText(/^\d+\.\d+\.\d+/, { timeout: 15_000 });
  await expect(agents.locator('[data-agent-id="terminal"]')).toContainText('/bin/sh');

  const audit = page.getByRole('region', { name: 'Audit log' });
  await expect(audit.getByRole('status', { name: 'Audit verification' })).toHaveText(/^Intact: \d+ entries verified\.$/);
  await audit.getByRole('button', { name: 'Verify again' }).click();
  const entries = audit.getByRole('table', { name: 'Audit entries' });
  await expect(entries).toContainText('grant.revoked');
  await expect(entries).toContainText('telegram.token_set');
  // Newest first.
  const seqs = await entries.locator('tbody tr td:first-child').allTextContents();
  expect(seqs.map(Number)).toEqual([...seqs.map(Number)].sort((a, b) => b - a));

  // Not in the desktop app: no launch-at-login setting.
  await expect(page.getByRole('region', { name: 'Start at login' })).toHaveCount(0);
  expect(besidesRefusals(errors)).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

test('settings: schedules and webhooks are listed with their next run, and the ones the owner added can be removed', async ({ page }) => {
  const errors = watchErrors(page);
  await api('POST', '/schedules', {
    name: 'frame-standup',
    cron: '0 9 * * 1-5',
    timeZone: 'Europe/Berlin',
    project: core.project,
    agent: 'terminal',
    prompt: 'echo standup',
  });
  await api('POST', '/webhooks', { name: 'frame-ci', project: core.project, agent: 'terminal', promptTemplate: 'echo {{branch}}' });
  await openApp(page, core);
  await page.getByRole('button', { name: 'Settings' }).click();
  const panel = page.getByRole('region', { name: 'Schedules and webhooks' });
  const schedule = panel.locator('[data-schedule="frame-standup"]');
  await expect(schedule).toContainText('0 9 * * 1-5 (Europe/Berlin), terminal in project, ask mode — next');
  await expect(schedule).toContainText(/GMT\+[12]|CES?T/);
  const webhook = panel.locator('[data-webhook="frame-ci"]');
  await expect(webhook).toContainText('POST /api/v1/webhooks/frame-ci');
  await expect(webhook).toContainText('secret in the keychain');
  await schedule.getByRole('button', { name: 'Remove' }).click();
  await expect(schedule).toHaveCount(0);
  await webhook.getByRole('button', { name: 'Remove' }).click();
  await expect(webhook).toHaveCount(0);
  expect((await api<{ schedules: unknown[] }>('GET', '/schedules')).schedules).toEqual([]);
  expect((await api<{ webhooks: unknown[] }>('GET', '/webhooks')).webhooks).toEqual([]);
  expect(besidesRefusals(errors)).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

test('the theme follows the system until toggled, and the choice is remembered', async ({ page }) => {
  const errors = watchErrors(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await openApp(page, core);
  const bg = () => page.evaluate<string>("getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()");
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  expect(await bg()).toBe('#14161a');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  expect(await bg()).toBe('#f6f7f9');
  await page.reload();
  await expect(page.getByRole('button', { name: 'Switch to dark theme' })).toBeVisible();
  expect(await bg()).toBe('#f6f7f9');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  expect(await bg()).toBe('#14161a');
  expect(errors).toEqual([]);
});

test('browser notifications: offered once, one per new approval and per finished run, a click opens the session', async ({ page, context }) => {
  const errors = watchErrors(page);
  // Undecided: the banner offers, never the page by itself; "Not now" hides it for good.
  await openApp(page, core);
  const banner = page.getByRole('region', { name: 'Notifications offer' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Not now' }).click();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  await expect(banner).toHaveCount(0);

  await context.grantPermissions(['notifications'], { origin: core.url });
  await page.addInitScript({ content: RECORD_NOTIFICATIONS });
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('notification-permission')).toContainText('On:');
  const notes = () => page.evaluate<string[]>("window.__notes.map((n) => n.title + ' | ' + n.body)");

  const asking = (await api<{ session: Session }>('POST', '/sessions', { agent: 'claude', cwd: core.project, prompt: 'RUN: rm -rf dist' })).session;
  await expect.poll(notes, { timeout: 20_000 }).toEqual([expect.stringMatching(/^Needs you: .*\| rm -rf dist/)]);
  await page.evaluate("window.__notes[0].onclick(new Event('click'))");
  await expect(page.locator(`[data-session-id="${asking.id}"]`)).toHaveAttribute('aria-current', 'page');

  // Its run ends while it is on screen: no notification. Another's end, off screen: one.
  const { approvals } = await api<{ approvals: { id: string }[] }>('GET', '/approvals?status=pending');
  for (const approval of approvals) await api('POST', `/approvals/${approval.id}/decision`, { decision: 'deny' });
  await waitForSession(asking.id, (s) => s.state === 'idle');
  await page.getByRole('button', { name: 'Settings' }).click();
  const other = (await api<{ session: Session }>('POST', '/sessions', { agent: 'claude', cwd: core.project, prompt: 'SAY: done soon' })).session;
  await waitForSession(other.id, (s) => s.state === 'idle');
  await expect.poll(notes, { timeout: 10_000 }).toHaveLength(2);
  expect((await notes())[1]).toMatch(/^Finished \| SAY: done soon/);
  expect(errors).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

test('inside the desktop app (window.reins): start at login goes through the bridge, and the page does not notify', async ({ page }) => {
  const errors = watchErrors(page);
  // A stand-in for the preload's bridge with the launch-at-login methods the desktop adds.
  await page.addInitScript({
    content: `
      window.__login = false;
      window.__focused = [];
      window.reins = {
        platform: 'linux',
        getLaunchAtLogin: async () => window.__login,
        setLaunchAtLogin: async (enabled) => { window.__login = enabled; },
        setFocusedSession: (id) => { window.__focused.push(id); },
        onOpenSession: (listener) => { window.__openSession = listener; return () => { window.__openSession = undefined; }; },
      };
    `,
  });
  await openApp(page, core);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  await expect(page.getByRole('region', { name: 'Notifications offer' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('The desktop app shows system notifications');
  const login = page.getByRole('region', { name: 'Start at login' }).getByRole('checkbox', { name: 'Start Reins when I log in' });
  await expect(login).toBeEnabled();
  await expect(login).not.toBeChecked();
  await login.check();
  await expect(login).toBeChecked();
  expect(await page.evaluate<boolean>('window.__login')).toBe(true);

  // A notification click in the desktop app opens its session, which main is then told is on screen.
  const target = await ensureSession('claude', 'SAY: opened from a notification', (s) => s.state === 'idle');
  await page.evaluate(`window.__openSession(${JSON.stringify(target.id)})`);
  await expect(page.locator('.session-head')).toBeVisible();
  await expect.poll(() => page.evaluate<(string | null)[]>('window.__focused')).toContain(target.id);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect.poll(() => page.evaluate<(string | null)[]>('window.__focused.at(-1)')).toBeNull();
  expect(errors).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

/** Opens each main view in `theme`; `visit` runs in each (scans, screenshots). */
async function eachView(page: Page, theme: 'light' | 'dark', visit: (name: string) => Promise<void>): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, core);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  const offer = page.getByRole('region', { name: 'Notifications offer' });
  if (await offer.isVisible()) await offer.getByRole('button', { name: 'Not now' }).click();
  const chat = await ensureSession('claude', 'SAY: Found 3 failing tests in src/parser; fixing the first.', (s) => s.state === 'idle');
  const terminal = await ensureSession('terminal', 'echo typed-$((2+3)) && ls -la', (s) => s.state === 'idle' || s.state === 'running');
  await page.locator(`[data-session-id="${chat.id}"]`).click();
  await expect(page.getByRole('log', { name: 'Transcript' })).toContainText('Found 3 failing tests');
  await visit('session');

  await page.getByRole('button', { name: 'New session' }).click();
  const form = page.getByRole('region', { name: 'New session' });
  await form.getByRole('list', { name: 'Recent projects' }).getByRole('button', { name: 'project' }).click();
  await form.getByLabel('Prompt').fill('Add a dark mode to the settings page');
  await visit('new-session');

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('status', { name: 'Audit verification' })).toHaveText(/Intact/);
  const pair = page.getByRole('button', { name: /Pair (your|another) phone/ });
  if (await pair.isVisible()) {
    await pair.click();
    await expect(page.getByRole('img', { name: 'QR code of the Telegram pairing link' })).toBeVisible();
  }
  await visit('settings');

  await page.locator(`[data-session-id="${terminal.id}"]`).click();
  await expect(page.getByRole('region', { name: 'Terminal' }).locator('.xterm-rows')).toContainText('typed-5');
  await visit('terminal');
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe finds no serious accessibility violations (${theme})`, async ({ page }) => {
    // Four full scans of the page on a shared two-core machine.
    test.setTimeout(120_000);
    const errors = watchErrors(page);
    await eachView(page, theme, async (view) => {
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${view}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    });
    expect(errors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  });
}

test('screenshots of the main views in both themes (docs/screenshots)', async ({ page }) => {
  test.setTimeout(90_000);
  mkdirSync(screenshots, { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await eachView(page, theme, async (view) => {
      await page.screenshot({ path: join(screenshots, `${view}-${theme}.png`) });
    });
  }
});
