import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import type { AuditEntry } from '../../src-main/contract/index.ts';
import { startCoreProcess, type CoreProcess } from './support/core-process.ts';
import { mintLoginUrl } from './support/open-app.ts';

// Signing a browser in, as a person does: a one-time login URL (what `reins open` opens) in Chromium,
// against a real core serving the built renderer under its strict CSP. The API token never reaches the
// page; the browser holds an HttpOnly session cookie, and other pages of 127.0.0.1 cannot use it.

/** The browser globals these page scripts read (the tests' tsconfig has no DOM library). */
interface PageGlobals {
  document: { cookie: string };
  location: { origin: string };
}

let running: CoreProcess;

test.beforeAll(async () => {
  running = await startCoreProcess();
});
test.afterAll(async () => {
  await running.stop();
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

const EXPIRED = 'This login link was used or has expired. Run reins open again.';

test('a login URL signs in once with an HttpOnly cookie, and the app goes live', async ({ page, context }) => {
  const core = running;
  const errors = watchErrors(page);
  const url = await mintLoginUrl(core);
  await page.goto(url);
  expect(page.url()).toBe(`${core.url}/`);
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');

  const cookies = await context.cookies(core.url);
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({ name: `reins_session_${new URL(core.url).port}`, httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
  // Neither the cookie nor the token is anywhere a script of the page could read it.
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie)).toBe('');
  expect(await page.content()).not.toContain(core.token);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))).toBe('{}');
  expect(page.url()).not.toContain('code=');

  // The page's own calls go with the cookie: a read, a change (our Origin) and the live stream.
  const fromPage = await page.evaluate(async (project) => {
    const session = (await (await fetch('/api/v1/auth/session')).json()) as { via: string };
    const change = await fetch('/api/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'claude', cwd: project, prompt: 'started by a signed-in page' }),
    });
    const hello = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${(globalThis as unknown as PageGlobals).location.origin.replace('http', 'ws')}/api/v1/stream`);
      ws.onmessage = (event) => {
        ws.close();
        resolve(String(event.data));
      };
      ws.onerror = () => reject(new Error('the stream refused the page'));
    });
    return { via: session.via, changeStatus: change.status, hello: JSON.parse(hello).type as string };
  }, core.project);
  expect(fromPage).toEqual({ via: 'cookie', changeStatus: 201, hello: 'hello' });

  // The same link a second time: the small expired page, and no new cookie.
  const second = await context.newPage();
  const response = await second.goto(url);
  expect(response?.status()).toBe(401);
  await expect(second.locator('body')).toContainText(EXPIRED);
  expect(await context.cookies(core.url)).toEqual(cookies);
  await second.close();

  // The app still works with the session the first use made.
  await page.reload();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');
  expect(errors).toEqual([]);
});

test('a page on another port of 127.0.0.1 cannot use the cookie to change anything or open the stream', async ({ page }) => {
  const core = running;
  await page.goto(await mintLoginUrl(core));
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Live');

  // Same site as the core (ports do not count), so SameSite=Strict lets the browser attach the cookie:
  // only the Origin check stands between this page and the API.
  // A real server on 127.0.0.1 (another local program), serving the attacking page.
  const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
  await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
  const evil = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  await page.goto(`${evil}/attack`);
  const attempt = await page.evaluate(async (api) => {
    const body = JSON.stringify({ agent: 'claude', cwd: '/tmp', prompt: 'forged by another page' });
    await fetch(`${api}/api/v1/sessions`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body });
    const stream = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${api.replace('http', 'ws')}/api/v1/stream`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
    return stream;
  }, core.url);
  other.close();
  expect(attempt).toBe('refused');

  const res = await fetch(`${core.url}/api/v1/audit?limit=50`, { headers: { authorization: `Bearer ${core.token}` } });
  const { entries } = (await res.json()) as { entries: AuditEntry[] };
  const refused = entries.filter((e) => e.type === 'api.refused' && (e.detail as { origin: string }).origin === evil);
  expect(refused.length).toBeGreaterThan(0);
  const sessions = await fetch(`${core.url}/api/v1/sessions`, { headers: { authorization: `Bearer ${core.token}` } });
  const titles = ((await sessions.json()) as { sessions: { title: string }[] }).sessions.map((s) => s.title);
  expect(titles.some((t) => t.includes('forged'))).toBe(false);
});
