import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect as baseExpect, test } from '@playwright/test';
import type { Session } from '../../src-main/contract/domain.ts';
import { startCoreProcess, type CoreProcess } from './support/core-process.ts';
import { openApp } from './support/open-app.ts';

// Screenshots of the session view and "Needs you" in the light and the dark theme, written to
// docs/screenshots/ (PNG), from a real core: an answer in Markdown, a command run, a command, a plan and
// a session paused at its budget waiting for the owner.

const expect = baseExpect.configure({ timeout: 20_000 });
const out = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
let core: CoreProcess;

test.beforeAll(async () => {
  core = await startCoreProcess();
});
test.afterAll(async () => {
  await core.stop();
});
test.setTimeout(120_000);

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${core.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${core.token}`, 'content-type': 'application/json', 'x-reins-surface': 'cli' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

test('the session view and Needs you, light and dark', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1500 });
  const { session } = await api<{ session: Session }>('POST', '/sessions', {
    agent: 'claude',
    cwd: core.project,
    title: 'Release notes',
    prompt:
      '## Release notes\n\nThis release **speeds up** the build:\n\n- parallel tests\n- a smaller bundle\n\n```ts\nexport const workers: number = 4;\n```',
  });
  await openApp(page, core);
  await page
    .getByRole('list', { name: 'Sessions' })
    .getByRole('button', { name: /Release notes/ })
    .click();
  await expect(page.locator('.session-head .state-pill')).toHaveText('idle');
  await expect(page.locator('.msg-agent .hljs-keyword').first()).toBeVisible();
  await api('POST', `/sessions/${session.id}/messages`, { text: 'RUN: ls' });
  await expect(page.locator('.tool-row').first()).toContainText('exit 0');
  await expect(page.locator('.session-head .state-pill')).toHaveText('idle');
  await api('POST', `/sessions/${session.id}/messages`, { text: 'RUN: rm -rf build && npm run build' });
  await api('POST', '/sessions', {
    agent: 'claude',
    cwd: core.project,
    title: 'Plan the cleanup',
    plan: true,
    prompt: 'TOOL: ExitPlanMode {"plan":"## Cleanup\\n\\n1. Delete the **build** folder\\n2. Rebuild with `npm run build`"}',
  });
  await api('POST', '/sessions', {
    agent: 'claude',
    cwd: core.project,
    title: 'Refactor the parser',
    budget: { costUsd: 0.05 },
    prompt: 'USAGE: 30000 800\nSAY: The tokenizer is split out; the parser is next.',
  });
  await expect(page.getByRole('log', { name: 'Transcript' }).locator('.approval-card')).toContainText('rm -rf build');
  await page.getByRole('log', { name: 'Transcript' }).locator('.tool-row').first().getByRole('button').click();
  await expect(page.locator('.tool-row .call-output').first()).toBeVisible();

  mkdirSync(out, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${out}/session-view-${scheme}.png` });
  }
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: /Needs you/ })
    .click();
  await expect(page.getByRole('region', { name: /Needs you/ }).locator('.approval-card')).toHaveCount(3);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${out}/needs-you-${scheme}.png` });
  }
});
