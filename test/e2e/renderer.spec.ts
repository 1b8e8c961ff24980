import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/open-app.ts';

// The renderer in Chromium (the same major as Electron 45's), served by a real core that drives the
// real `claude` CLI against the fake Anthropic API. The page connects the way a browser tab does:
// signed in through a one-time login URL (session cookie), API and WebSocket on the page's own origin,
// under the strict CSP.

interface Core {
  url: string;
  token: string;
  project: string;
}

const root = resolve(import.meta.dirname, '..', '..');
let child: ChildProcessWithoutNullStreams;
let core: Core;

test.beforeAll(async () => {
  child = spawn(process.execPath, ['test/e2e/support/serve-core.ts'], { cwd: root, env: { ...process.env, REINS_LOG_LEVEL: 'warn' } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  core = await new Promise<Core>((done, fail) => {
    lines.once('line', (line) => done(JSON.parse(line) as Core));
    child.once('exit', (code) => fail(new Error(`serve-core exited with ${code}: ${stderr}`)));
  });
});

test.afterAll(async () => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
});

/** Collects page errors and console errors (CSP violations are reported there). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

test('starts a session from the form, shows its approval, and denies it', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page, core);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  await expect(page.getByText('No sessions yet.')).toBeVisible();

  await page.getByLabel('Folder').fill(core.project);
  await page.getByLabel('Prompt').fill('RUN: rm -rf build');
  await page.getByRole('button', { name: 'Start session' }).click();

  const approvals = page.getByRole('region', { name: 'Pending approvals' });
  // The real CLI starts and asks; on a loaded machine that takes a while.
  await expect(approvals).toContainText('1 pending approval', { timeout: 20_000 });
  await expect(approvals).toContainText('rm -rf build');
  await expect(page.getByRole('list', { name: 'Sessions' })).toContainText('RUN: rm -rf build');

  await approvals.getByRole('button', { name: 'Deny' }).click();
  await expect(approvals).toHaveCount(0);
  const timeline = page.getByRole('region', { name: 'Session timeline' });
  await expect(timeline.locator('[data-kind="approval_decided"]')).toContainText('Denied');
  await expect(timeline.locator('.timeline-header .state')).toHaveText('idle');
  expect(errors).toEqual([]);
});

test('without signing in, says to run `reins open`; a token in the URL does not sign in', async ({ page }) => {
  await page.goto(`${core.url}/`);
  await expect(page.getByRole('alert')).toContainText('Run `reins open` to sign in.');
  await page.goto(`${core.url}/?token=${core.token}#token=${core.token}`);
  await expect(page.getByRole('alert')).toContainText('Run `reins open` to sign in.');
});
