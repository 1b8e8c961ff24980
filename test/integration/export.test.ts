/**
 * Transcripts of a long seeded session (more events than one page) ending in a turn with a shell
 * call whose output holds secrets, an edit, an answered question and an approval: Markdown, JSON and
 * HTML through the API, the client and the CLI; the HTML opened in Chromium loads nothing.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src-main/core/redaction/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { SCENARIO_APPROVALS, SCENARIO_EVENTS, SCENARIO_SECRETS } from '../helpers/export-scenario.ts';
import { ENV_FILES } from '../helpers/secret-samples.ts';
import { leakedPiece } from '../helpers/secret-leaks.ts';
import { seedSession } from '../helpers/seed-session.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const SEEDED = 1100; // 100 turns: the export reads more than one page of the log

let h: Harness;
let sessionId: string;
beforeAll(async () => {
  h = await startHarness();
  for (const [path, content] of Object.entries(ENV_FILES)) {
    mkdirSync(dirname(join(h.project, path)), { recursive: true });
    writeFileSync(join(h.project, path), content);
  }
  sessionId = seedSession({ home: h.home, cwd: h.project, title: 'Export me', events: SEEDED, extraEvents: SCENARIO_EVENTS, approvals: SCENARIO_APPROVALS });
});
afterAll(async () => {
  await h?.close();
});

const leaks = (text: string): string[] => SCENARIO_SECRETS.map((s) => leakedPiece(text, s)).filter((p) => p !== null);

async function download(format: string) {
  const res = await h.api.raw('GET', `/sessions/export-me/export?format=${format}`);
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: await res.text() };
}

describe('session transcripts', () => {
  it('Markdown: turns, fenced shell output, the edit as a diff, the question and its answer, approvals, usage; secrets redacted', async () => {
    const md = await download('md');
    expect(md.status).toBe(200);
    expect(md.type).toBe('text/markdown; charset=utf-8');
    expect(md.disposition).toBe('attachment; filename="reins-export-me.md"');
    expect(leaks(md.body)).toEqual([]);
    const last = md.body.slice(md.body.indexOf('## Turn 101'));
    expect(md.body).toContain('## Turn 1\n');
    expect(last).toContain('**Owner (telegram):**\n\n> Check the deployment config');
    expect(last).toContain('**Shell** (ok):\n\n```sh\ncat deploy.log\n```\n\nOutput:\n\n```text\ngh auth status: Token: [redacted]');
    expect(last).toContain(`DB_PASSWORD=${REDACTED}\ndeploy ok\n\`\`\``);
    expect(last).toContain('```diff\n--- src/app.ts\n+++ src/app.ts\n-export const app = 1;\n+export const app = 2;\n```');
    expect(last).toContain(
      '**Question:** Which database should the tests use?\n- SQLite — in memory\n- Postgres\n\n**Answer:** SQLite (by telegram:42 via telegram)',
    );
    expect(last).toContain('*Approval: rm -rf build — allowed by desktop-client via desktop (allowed once)*');
    expect(last).toContain('$0.5000 · 4000 in / 900 out tokens · 12.0 s');
    expect(last).toContain('- **fixed**');
  });

  it('JSON: every event in order with redacted payloads', async () => {
    const res = await download('json');
    expect(res.disposition).toBe('attachment; filename="reins-export-me.json"');
    expect(leaks(res.body)).toEqual([]);
    const doc = JSON.parse(res.body) as { format: string; version: number; session: { id: string }; events: { seq: number; kind: string }[] };
    expect(doc.format).toBe('reins-transcript');
    expect(doc.version).toBe(1);
    expect(doc.session.id).toBe(sessionId);
    expect(doc.events.map((e) => e.seq)).toEqual(Array.from({ length: SEEDED + SCENARIO_EVENTS.length }, (_, i) => i + 1));
    expect(doc.events.at(-1)?.kind).toBe('status');
    // Written a page at a time, laid out exactly as one JSON.stringify(…, null, 2) of the whole would be.
    expect(res.body).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });

  it('HTML: self-contained, escaped, and Chromium makes no network request opening it', async () => {
    const res = await download('html');
    expect(res.type).toBe('text/html; charset=utf-8');
    expect(leaks(res.body)).toEqual([]);
    expect(res.body).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(res.body).not.toMatch(/<(script|img|link|iframe|object|embed|base)\b|<[^>]*\s(src|href)=/i);
    const file = join(h.project, 'transcript.html');
    writeFileSync(file, res.body);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      expect(requests).toEqual([pathToFileURL(file).href]);
      await expect.poll(() => page.getByText('Which database should the tests use?').isVisible()).toBe(true);
      expect(await page.getByText('<script>alert(1)</script>', { exact: false }).first().isVisible()).toBe(true);
      expect(await page.locator('.add').first().textContent()).toBe('+export const app = 2;');
      expect(await page.locator('script, img, link, iframe').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("Reins' own API token printed by an agent is redacted in every format", async () => {
    const { session } = await h.api.post<{ session: { id: string } }>('/sessions', {
      agent: 'claude',
      cwd: h.project,
      prompt: `SAY: found ${h.token} in a file`,
    });
    await h.api.waitTurnEnd(session.id);
    for (const format of ['md', 'json', 'html']) {
      const res = await h.api.raw('GET', `/sessions/${session.id}/export?format=${format}`);
      const body = await res.text();
      expect(body, format).toContain('found ');
      expect(body, format).not.toContain(h.token);
      expect(body, format).not.toContain(h.token.slice(0, 16));
    }
  });

  it('refuses an unknown format and an unknown session in one line', async () => {
    const bad = await download('pdf');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toBe('Query parameter format must be md, json or html.');
    const missing = await h.api.raw('GET', '/sessions/no-such-session/export');
    expect(missing.status).toBe(404);
  });

  it('the client and `reins export` give the same transcript; --out writes an owner-only file', async () => {
    const viaClient = await h.api.client.exportSession(sessionId.slice(0, 12), 'md');
    expect(viaClient.fileName).toBe('reins-export-me.md');
    const stdout = await promisify(execFile)(process.execPath, [CLI, 'export', 'export-me', '--home', h.home], { timeout: 30_000 });
    expect(stdout.stdout).toBe(viaClient.body);
    const shown = await promisify(execFile)(process.execPath, [CLI, 'show', sessionId.slice(0, 10), '--home', h.home], { timeout: 30_000 });
    expect(shown.stdout).toBe(viaClient.body);
    const out = join(h.project, 'out.html');
    const written = await promisify(execFile)(process.execPath, [CLI, 'export', 'export-me', '--format', 'html', '--out', out, '--home', h.home], {
      timeout: 30_000,
    });
    expect(written.stderr).toBe(`Wrote reins-export-me.html to ${out}.\n`);
    expect(readFileSync(out, 'utf8')).toContain('<!doctype html>');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
