import AxeBuilder from '@axe-core/playwright';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import config from '../../playwright.config.ts';
import type { Session } from '../../src-main/contract/domain.ts';
import { rendererCsp } from '../../src-main/desktop/csp.ts';
import { seedSession } from '../helpers/seed-session.ts';
import { startCoreProcess, type CoreProcess } from './support/core-process.ts';
import { openApp } from './support/open-app.ts';
import { phoneAt } from './support/phone.ts';

// The session view and "Needs you" in Chromium, against a real core driving the real `claude` CLI
// (fake Anthropic API) whose Telegram bridge talks to the fake Bot API: the spec is also the owner's
// phone. The page runs under the desktop window's CSP (no inline style or script at all), so a view
// that needed one would fail here as it would in Electron.

// A document fulfilled by page.route loses its loopback address space, and Chromium's Local Network Access
// checks would then block its WebSocket to 127.0.0.1; a page the core serves itself has no such problem.
const launch = config.use?.launchOptions ?? {};
test.use({ launchOptions: { ...launch, args: [...(launch.args ?? []), '--disable-features=LocalNetworkAccessChecks'] } });

// The real CLI starts in seconds, more on a loaded machine.
const expect = baseExpect.configure({ timeout: 20_000 });

let core: CoreProcess;
let phone: ReturnType<typeof phoneAt>;

test.beforeAll(async () => {
  core = await startCoreProcess();
  phone = phoneAt(core.phone);
});

test.afterAll(async () => {
  await core.stop();
});

test.setTimeout(90_000);

/** Opens the app under the desktop CSP and collects page errors and console errors (CSP violations land there). */
async function open(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.route(`${core.url}/`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': rendererCsp(core.url) } });
  });
  await openApp(page, core);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  return errors;
}

/** Starts a session over the API, as the CLI or another window would. */
async function startSession(body: Record<string, unknown>): Promise<Session> {
  const response = await fetch(`${core.url}/api/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${core.token}`, 'content-type': 'application/json', 'x-reins-surface': 'cli' },
    body: JSON.stringify({ agent: 'claude', cwd: core.project, ...body }),
  });
  if (!response.ok) throw new Error(`POST /sessions: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { session: Session }).session;
}

/** Opens a session by its title in the sidebar. */
async function openSession(page: Page, title: string): Promise<void> {
  await page
    .getByRole('list', { name: 'Sessions' })
    .getByRole('button', { name: new RegExp(title) })
    .click();
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
}

/** Shows "Needs you" (every pending approval, across sessions). */
async function showNeedsYou(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /Needs you/ })
    .click();
}

/** Serious or critical accessibility findings in the view on screen (the session, or "Needs you"). */
async function seriousA11yViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('main').analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')})`);
}

test('a session started in the window: live chat, approval inline repaints the phone card, Markdown rendered', async ({ page }) => {
  const errors = await open(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'New session' }).click();
  await page.getByLabel('Folder').fill(core.project);
  await page.getByLabel('Prompt').fill('RUN: echo window-ran > ran.txt && cat ran.txt');
  await page.getByRole('button', { name: 'Start session' }).click();

  const transcript = page.getByRole('log', { name: 'Transcript' });
  await expect(transcript.locator('.msg-user')).toContainText('RUN: echo window-ran');
  await expect(transcript.locator('.msg-user .msg-meta')).toHaveText('from desktop');
  const card = transcript.locator('.approval-card');
  await expect(card).toContainText('Approval needed: Run');
  await expect(card).toContainText('echo window-ran > ran.txt && cat ran.txt');
  await expect(card.getByRole('button', { name: 'Allow', exact: true })).toHaveAttribute('title', 'Allow (A)');
  await expect(card.locator('.grant-words')).toContainText('“Allow for this session” covers');
  const phoneCard = await phone.waitFor((m) => m.text.startsWith('🔐') && m.text.includes('echo window-ran'), 'the approval card');
  expect(await seriousA11yViolations(page)).toEqual([]);

  await card.getByRole('button', { name: 'Allow', exact: true }).click();
  await phone.waitFor((m) => m.messageId === phoneCard.messageId && m.text.startsWith('✅ Allowed') && m.replyMarkup === undefined, 'the card repainted');
  await expect(transcript.locator('.approval-outcome')).toContainText('Allowed from the desktop');
  const row = transcript.locator('.tool-row').filter({ hasText: 'echo window-ran' });
  await expect(row.locator('.tool-status')).toHaveText('exit 0');
  await row.getByRole('button').click();
  await expect(row.locator('.call-output')).toHaveText('window-ran');
  await expect(transcript.locator('.turn-usage').first()).toContainText(' in · ');
  await expect(page.locator('.session-head .state-pill')).toHaveText('idle');

  // An answer in Markdown (the fake model echoes a prompt without directives): heading, list, highlighted code.
  await page.getByLabel('Message', { exact: true }).fill('# Release notes\n\n- first item\n- second item\n\n```ts\nconst answer: number = 42;\n```');
  await page.getByRole('button', { name: 'Send' }).click();
  const answer = transcript.locator('.msg-agent').last();
  await expect(answer.getByRole('heading', { name: 'Release notes' })).toBeVisible();
  await expect(answer.getByRole('listitem')).toHaveText(['first item', 'second item']);
  await expect(answer.locator('code.hljs .hljs-keyword').first()).toHaveText('const');
  expect(await seriousA11yViolations(page)).toEqual([]);
  expect(errors).toEqual([]);
});

test('a session started on the phone is continued in the window, and both sides show the exchange', async ({ page }) => {
  const errors = await open(page);
  await phone.send('/new');
  await phone.waitFor((m) => m.text.includes('absolute path of the project') || m.text.includes('Pick a project'), 'the project step');
  await phone.send(core.project);
  const agents = await phone.waitFor((m) => m.text.includes('Which agent?'), 'the agent step');
  await phone.tap(agents.messageId, 'Claude Code');
  await phone.waitFor((m) => m.messageId === agents.messageId && m.text.includes('Which mode?'), 'the mode step');
  await phone.tap(agents.messageId, '✋ ask');
  await phone.waitFor((m) => m.messageId === agents.messageId && m.text.includes('Now send the prompt'), 'the prompt step');
  await phone.send('SAY: hello from the phone');

  await openSession(page, 'SAY: hello from the phone');
  const transcript = page.getByRole('log', { name: 'Transcript' });
  await expect(transcript.locator('.msg-user').first()).toContainText('SAY: hello from the phone');
  await expect(transcript.locator('.msg-user .msg-meta').first()).toHaveText('from phone');
  await expect(transcript.locator('.msg-agent').first()).toHaveText('hello from the phone');
  await expect(page.locator('.session-head .state-pill')).toHaveText('idle');

  await page.getByLabel('Message', { exact: true }).fill('SAY: hello back from the desktop');
  await page.keyboard.press('Enter');
  await expect(transcript.locator('.msg-user').last()).toContainText('SAY: hello back from the desktop');
  await expect(transcript.locator('.msg-user').last().locator('.msg-meta')).toHaveText('from desktop');
  await expect(transcript.locator('.msg-agent').last()).toHaveText('hello back from the desktop');
  await phone.waitFor((m) => m.text.includes('hello back from the desktop'), 'the answer to the window’s message');
  expect(errors).toEqual([]);
});

test('an approval decided on the phone leaves the window', async ({ page }) => {
  const errors = await open(page);
  await startSession({ prompt: 'RUN: touch phone-decides.txt', title: 'phone decides' });
  await showNeedsYou(page);
  const needsYou = page.getByRole('region', { name: /Needs you/ });
  const card = needsYou.locator('.approval-card').filter({ hasText: 'touch phone-decides.txt' });
  await expect(card).toContainText('phone decides · claude');
  await expect(card.locator('.grant-words')).toHaveText('“Allow for this session” covers the command `touch phone-decides.txt` exactly.');

  const phoneCard = await phone.waitFor((m) => m.text.startsWith('🔐') && m.text.includes('touch phone-decides.txt'), 'the approval card');
  await phone.tap(phoneCard.messageId, '❌ Deny');
  await expect(card).toHaveCount(0);
  await openSession(page, 'phone decides');
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('.approval-outcome')).toContainText('Denied from the phone');
  expect(errors).toEqual([]);
});

test('a question is answered with its option button', async ({ page }) => {
  const errors = await open(page);
  const question = {
    questions: [
      {
        question: 'Which build system should I use?',
        header: 'Build',
        options: [
          { label: 'make', description: 'GNU make' },
          { label: 'ninja', description: 'Ninja' },
        ],
        multiSelect: false,
      },
    ],
  };
  await startSession({ prompt: `TOOL: AskUserQuestion ${JSON.stringify(question)}`, title: 'build question' });
  await openSession(page, 'build question');
  const card = page.getByRole('log', { name: 'Transcript' }).locator('.approval-card');
  await expect(card).toContainText('Build: Which build system should I use?');
  await expect(card.getByRole('button', { name: /ninja/ })).toHaveAttribute('title', 'Ninja (2)');
  const phoneCard = await phone.waitFor((m) => m.text.includes('Which build system should I use?') && m.replyMarkup !== undefined, 'the question card');
  await card.getByRole('button', { name: /ninja/ }).click();
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('.approval-outcome')).toContainText('Answered from the desktop');
  await phone.waitFor((m) => m.messageId === phoneCard.messageId && m.text.startsWith('✅ Allowed'), 'the question card repainted');
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('.msg-agent').last()).toContainText('"Which build system should I use?"="ninja"');
  expect(errors).toEqual([]);
});

test('a plan shows rendered and is approved from the keyboard', async ({ page }) => {
  const errors = await open(page);
  await startSession({ prompt: 'TOOL: ExitPlanMode {"plan":"## The plan\\n\\n1. Delete **build** dir\\n2. Rebuild"}', title: 'plan first', plan: true });
  await showNeedsYou(page);
  const card = page
    .getByRole('region', { name: /Needs you/ })
    .locator('.approval-card')
    .filter({ hasText: 'Plan approval' });
  await expect(card.getByRole('heading', { name: 'The plan' })).toBeVisible();
  await expect(card.locator('.md ol li')).toHaveCount(2);
  await expect(card.locator('.md strong')).toHaveText('build');
  await expect(card.getByRole('button', { name: 'Approve plan' })).toHaveAttribute('title', 'Approve plan (A)');
  await card.focus();
  await page.keyboard.press('a');
  await expect(card).toHaveCount(0);
  await openSession(page, 'plan first');
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('.approval-outcome')).toContainText('Plan approved from the desktop');
  expect(errors).toEqual([]);
});

test('a session at its budget shows its spend, asks to continue or stop, and continues from the window', async ({ page }) => {
  const errors = await open(page);
  await startSession({ prompt: 'USAGE: 30000 500\nSAY: spent a lot', title: 'budgeted', budget: { tokens: 20000 } });
  await openSession(page, 'budgeted');
  const card = page.getByRole('log', { name: 'Transcript' }).locator('.approval-card').filter({ hasText: 'Budget reached' });
  await expect(card).toContainText(/This session: \d+k of 20k tokens/);
  await expect(card).toContainText('paused until you decide');
  await expect(card.locator('.risk-badge')).toHaveCount(0);
  const next = card.getByRole('button', { name: /^Continue to \d+k tokens$/ });
  await expect(next).toHaveAttribute('title', /\(A\)$/);
  await expect(card.getByRole('button', { name: 'Stop session' })).toHaveAttribute('title', 'Stop session (D)');
  await expect(page.locator('.session-head .session-spend')).toHaveText(/^\d+k of 20k tokens$/);
  await next.click();
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('.approval-outcome')).toContainText('Continued from the desktop');
  await expect(page.locator('.session-head .state-pill')).toHaveText('idle');
  expect(errors).toEqual([]);
});

test('a provider failure shows what happened and what to do, in the transcript and as the session reason', async ({ page }) => {
  const errors = await open(page);
  await startSession({ prompt: 'FAIL: 400 too-long\nSAY: never', title: 'too long' });
  await openSession(page, 'too long');
  const failure = page.getByRole('log', { name: 'Transcript' }).locator('.provider-error');
  await expect(failure).toContainText('Context too long: the conversation is too long for the model');
  await expect(failure.locator('.provider-advice')).toHaveText('What to do: start a new session, or compact this one (for Claude: send /compact)');
  await expect(page.locator('.session-head .session-reason')).toHaveText(
    'the conversation is too long for the model: start a new session, or compact this one (for Claude: send /compact)',
  );
  expect(errors).toEqual([]);
});

test('a long history opens at the newest, keeps its place when scrolled up, and jumps back to the newest', async ({ page }) => {
  const errors = await open(page);
  // 3 001 events (273 turns, the last ending in its answer) written straight into the core's database.
  seedSession({ home: core.home, cwd: core.project, title: 'long history', events: 3001 });
  await page.reload();
  await openSession(page, 'long history');
  const transcript = page.getByRole('log', { name: 'Transcript' });
  await expect(transcript.getByRole('heading', { name: 'Step 273 done' })).toBeVisible();
  const rowsAtOpen = Number(await transcript.getAttribute('data-rows'));
  await expect(page.getByRole('button', { name: 'Jump to newest ↓' })).toHaveCount(0);

  await transcript.hover();
  for (let i = 0; i < 40 && Number(await transcript.getAttribute('data-rows')) === rowsAtOpen; i++) await page.mouse.wheel(0, -4000);
  await expect.poll(async () => Number(await transcript.getAttribute('data-rows'))).toBeGreaterThan(rowsAtOpen);
  await expect(transcript.getByRole('heading', { name: 'Step 273 done' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Jump to newest ↓' }).click();
  await expect(transcript.getByRole('heading', { name: 'Step 273 done' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Jump to newest ↓' })).toHaveCount(0);
  expect(errors).toEqual([]);
});
