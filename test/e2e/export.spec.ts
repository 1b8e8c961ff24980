import { readFileSync } from 'node:fs';
import { expect as baseExpect, test } from '@playwright/test';
import { SCENARIO_APPROVALS, SCENARIO_EVENTS, SCENARIO_SECRETS } from '../helpers/export-scenario.ts';
import { leakedPiece } from '../helpers/secret-leaks.ts';
import { seedSession } from '../helpers/seed-session.ts';
import { startCoreProcess, type CoreProcess } from './support/core-process.ts';
import { openApp } from './support/open-app.ts';

// Export in the session header: the window saves the transcript the core built (secrets redacted),
// under the core's file name.

const expect = baseExpect.configure({ timeout: 20_000 });

let core: CoreProcess;

test.beforeAll(async () => {
  core = await startCoreProcess();
  seedSession({ home: core.home, cwd: core.project, title: 'Window export', events: 11, extraEvents: SCENARIO_EVENTS, approvals: SCENARIO_APPROVALS });
});

test.afterAll(async () => {
  await core.stop();
});

test('Export → HTML and Markdown download the redacted transcript under the session name', async ({ page }) => {
  await openApp(page, core);
  await page
    .getByRole('list', { name: 'Sessions' })
    .getByRole('button', { name: /Window export/ })
    .click();
  const menu = page.locator('.session-head').getByRole('group', { name: 'Export transcript' });

  const [html] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: 'HTML' }).click()]);
  expect(html.suggestedFilename()).toBe('reins-window-export.html');
  const htmlText = readFileSync((await html.path())!, 'utf8');
  expect(htmlText).toContain('Which database should the tests use?');
  for (const secret of SCENARIO_SECRETS) expect(leakedPiece(htmlText, secret)).toBeNull();

  const [md] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: 'Markdown' }).click()]);
  expect(md.suggestedFilename()).toBe('reins-window-export.md');
  const mdText = readFileSync((await md.path())!, 'utf8');
  expect(mdText).toContain('```diff\n--- src/app.ts');
  for (const secret of SCENARIO_SECRETS) expect(leakedPiece(mdText, secret)).toBeNull();
});
