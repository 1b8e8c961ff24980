import { expect as baseExpect, test } from '@playwright/test';
import type { Session } from '../../src-main/contract/domain.ts';
import { startCoreProcess, type CoreProcess } from './support/core-process.ts';
import { openApp } from './support/open-app.ts';

// The session's name in the window: shown in the sidebar and the header, renamed in place; the core's
// refusal of a name (taken, wrong form) is shown as it is. A real core runs the real `claude` CLI.

const expect = baseExpect.configure({ timeout: 20_000 });

let core: CoreProcess;

test.beforeAll(async () => {
  core = await startCoreProcess();
});

test.afterAll(async () => {
  await core.stop();
});

async function startSession(title: string): Promise<Session> {
  const response = await fetch(`${core.url}/api/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${core.token}`, 'content-type': 'application/json', 'x-reins-surface': 'cli' },
    body: JSON.stringify({ agent: 'claude', cwd: core.project, prompt: `SAY: ${title}`, title }),
  });
  if (!response.ok) throw new Error(`POST /sessions: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { session: Session }).session;
}

test('the header renames a session in place; the sidebar follows, and a taken name is refused with the reason', async ({ page }) => {
  const first = await startSession('first one');
  const second = await startSession('second one');
  await openApp(page, core);
  const list = page.getByRole('list', { name: 'Sessions' });
  await expect(list).toContainText(`@${first.name}`);
  await expect(list).toContainText(`@${second.name}`);

  await list.getByRole('button', { name: /second one/ }).click();
  const head = page.locator('.session-head');
  await expect(head).toContainText(`@${second.name}`);
  await head.getByRole('button', { name: 'Rename' }).click();
  await head.getByLabel('Session name').fill(first.name);
  await head.getByLabel('Session name').press('Enter');
  await expect(head.getByRole('alert')).toContainText(`The name "${first.name}" is taken by session ${first.id.slice(0, 8)}; pick another.`);

  await head.getByLabel('Session name').fill('Second-Opinion');
  await head.getByRole('button', { name: 'Save' }).click();
  await expect(head.getByLabel('Session name')).toHaveCount(0);
  await expect(head).toContainText('@second-opinion');
  await expect(list.getByRole('button', { name: /second one/ })).toContainText('@second-opinion');

  await head.getByRole('button', { name: 'Rename' }).click();
  await head.getByLabel('Session name').fill('never saved');
  await head.getByLabel('Session name').press('Escape');
  await expect(head).toContainText('@second-opinion');
});
