/**
 * `/export` from the phone: the transcript of a session (named, or the current one) arrives as a
 * document in the chat, redacted by the bridge (known token formats and the project's .env values).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../../src-main/core/redaction/index.ts';
import { SCENARIO_APPROVALS, SCENARIO_EVENTS, SCENARIO_SECRETS } from '../helpers/export-scenario.ts';
import { ENV_FILES } from '../helpers/secret-samples.ts';
import { leakedPiece } from '../helpers/secret-leaks.ts';
import { seedSession } from '../helpers/seed-session.ts';
import { startTelegramHarness, type TelegramHarness } from './telegram-harness.ts';

let h: TelegramHarness;
beforeAll(async () => {
  h = await startTelegramHarness();
  for (const [path, content] of Object.entries(ENV_FILES)) {
    mkdirSync(dirname(join(h.project, path)), { recursive: true });
    writeFileSync(join(h.project, path), content);
  }
  seedSession({ home: h.home, cwd: h.project, title: 'Phone export', events: 22, extraEvents: SCENARIO_EVENTS, approvals: SCENARIO_APPROVALS });
  // The project existed before the bridge started, as a real one would: its .env values are known.
  await h.restart();
  await h.pair();
});
afterAll(async () => {
  await h?.close();
});

/** The bytes of a document the bot sent, downloaded from the fake Bot API as a client would. */
async function documentText(fileId: string): Promise<string> {
  const info = (await (await fetch(`${h.bot.url}/bot${h.bot.token}/getFile?file_id=${encodeURIComponent(fileId)}`)).json()) as {
    result: { file_path: string };
  };
  return (await fetch(`${h.bot.url}/file/bot${h.bot.token}/${info.result.file_path}`)).text();
}

describe('/export', () => {
  it('sends the named session as an HTML document with its secrets redacted', async () => {
    h.bot.userSends(h.owner, h.owner.id, '/export phone-export html');
    const doc = await h.waitMessage((m) => m.media === 'document', 'the transcript document');
    expect(doc.text).toBe('Transcript of @phone-export (html), secrets redacted');
    const call = h.bot.calls('sendDocument').find((c) => c.outcome === 'ok')!;
    const document = (call.result as { document: { file_id: string; file_name: string; mime_type: string } }).document;
    expect(document.file_name).toBe('reins-phone-export.html');
    expect(document.mime_type).toBe('text/html');
    const html = await documentText(document.file_id);
    expect(html).toContain('Which database should the tests use?');
    expect(html).toContain(`DB_PASSWORD=${REDACTED}`);
    for (const secret of [...SCENARIO_SECRETS, h.bot.token]) expect(leakedPiece(html, secret)).toBeNull();
  });

  it("an answer holding Reins' own API token reaches the phone with the token redacted", async () => {
    const token = h.daemon.token;
    await h.startSession(`SAY: the core token is ${token} today`, { title: 'leaky' });
    const answer = await h.waitMessage((m) => m.text.includes('the core token is'), 'the answer');
    expect(answer.text).toContain(`the core token is ${REDACTED} today`);
    for (const m of h.bot.messages(h.owner.id)) expect(leakedPiece(m.text, token), m.text).toBeNull();
  });

  it('says how to use it when given too many words, and names the sessions when the name is unknown', async () => {
    h.bot.userSends(h.owner, h.owner.id, '/export a b md');
    await h.waitMessage((m) => m.text === 'Usage: /export [md|json|html], or /export session [md|json|html].', 'the usage line');
    h.bot.userSends(h.owner, h.owner.id, '/export nosuch');
    await h.waitMessage((m) => m.text.startsWith('❌') && m.text.endsWith('See /sessions for the names.'), 'the unknown-name answer');
    expect(h.bot.calls('sendDocument')).toHaveLength(1);
  });
});
