import { expect as baseExpect, test, type Page } from '@playwright/test';
import { startCoreProcess, type CoreProcess } from './support/core-process.ts';
import { openApp } from './support/open-app.ts';

// The renderer in Chromium (the same major as Electron 45's), served by a real core that drives the
// real `claude` CLI against the fake Anthropic API. The page connects the way a browser tab does:
// token in the URL fragment, API and WebSocket on the page's own origin, under the strict CSP.

// The real CLI starts in seconds, more on a loaded machine.
const expect = baseExpect.configure({ timeout: 20_000 });

let core: CoreProcess;

test.beforeAll(async () => {
  core = await startCoreProcess();
});

test.afterAll(async () => {
  await core.stop();
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

  // The new session opens with its approval inline; "Needs you" lists it too.
  const transcript = page.getByRole('log', { name: 'Transcript' });
  const card = transcript.locator('.approval-card');
  // The real CLI starts and asks; on a loaded machine that takes a while.
  await expect(card).toContainText('rm -rf build', { timeout: 20_000 });
  await expect(page.getByRole('list', { name: 'Sessions' })).toContainText('RUN: rm -rf build');
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /Needs you/ })).toContainText('1');

  await card.getByRole('button', { name: 'Deny', exact: true }).click();
  await expect(transcript.locator('.approval-outcome')).toContainText('Denied from the desktop');
  await expect(page.locator('.session-head .state-pill')).toHaveText('idle');
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /Needs you/ })
    .click();
  await expect(page.getByRole('region', { name: /Needs you/ })).toContainText('Nothing waits for you');
  expect(errors).toEqual([]);
});

test('without signing in, says to run `reins open`; a token in the URL does not sign in', async ({ page }) => {
  await page.goto(`${core.url}/`);
  await expect(page.getByRole('alert')).toContainText('Run `reins open` to sign in.');
  await page.goto(`${core.url}/?token=${core.token}#token=${core.token}`);
  await expect(page.getByRole('alert')).toContainText('Run `reins open` to sign in.');
});
