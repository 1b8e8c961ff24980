/**
 * A download from Telegram's file server that stalls must end when the bot stops, instead of
 * holding up the shutdown for the whole download timeout; the partial file is removed.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src-main/core/log.ts';
import { createCallbackCodec } from '../../../src-main/surfaces/telegram/callback-codec.ts';
import { createDownloader } from '../../../src-main/surfaces/telegram/download.ts';
import { createRedactor } from '../../../src-main/surfaces/telegram/format/index.ts';
import { createOutbox, type Outbox } from '../../../src-main/surfaces/telegram/outbox/index.ts';
import { createWriter } from '../../../src-main/surfaces/telegram/writer.ts';
import { startFakeBotApi, type FakeBotApi } from '../../fakes/bot-api/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let fake: FakeBotApi | undefined;
let outbox: Outbox | undefined;
let server: Server | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
const open: ServerResponse[] = [];
afterEach(async () => {
  for (const res of open.splice(0)) res.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await outbox?.stop();
  await fake?.close();
  dir?.remove();
  server = undefined;
  outbox = undefined;
  fake = undefined;
  dir = undefined;
});

describe('downloads and stop', () => {
  it('a stalled download ends as soon as the bot stops, and leaves no partial file', async () => {
    fake = await startFakeBotApi();
    dir = tempDir('reins-tgdl-');
    const file = fake.registerFile(new Uint8Array(4096).fill(7), { fileName: 'big.bin', kind: 'documents' });
    // Telegram's file server stand-in: sends the headers and a first chunk, then nothing.
    server = createServer((_req, res) => {
      open.push(res);
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(1024, 1));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const stalled = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stalled`;

    const raw = new Api(fake.token, { apiRoot: fake.url }).raw as unknown as Record<string, (p: Record<string, unknown>, s?: AbortSignal) => Promise<unknown>>;
    outbox = createOutbox({
      call: (m, p, s) => raw[m]!(p, s),
      clock: { now: () => Date.now() },
      sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
      logger: silentLogger,
    });
    const writer = createWriter({ outbox, codec: createCallbackCodec(Buffer.alloc(32, 1)), redactor: () => createRedactor({}) });
    const stop = new AbortController();
    const download = createDownloader({
      writer,
      apiRoot: fake.url,
      token: fake.token,
      fetch: (url, init) => (String(url).includes('/file/bot') ? fetch(stalled, init) : fetch(url, init)),
      timeoutMs: 60_000,
      signal: stop.signal,
    });

    const dest = join(dir.path, 'big.bin');
    // Reserved empty, as reserveAttachment does before a download.
    writeFileSync(dest, '', { mode: 0o600 });
    const outcome = download(file.file_id, dest, 1024 * 1024).then(
      () => 'finished',
      () => 'ended',
    );
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 5000;
      const check = (): void => {
        if (statSync(dest).size > 0) resolve();
        else if (Date.now() > deadline) reject(new Error('the download never started writing'));
        else setTimeout(check, 10);
      };
      check();
    });

    stop.abort();
    expect(await Promise.race([outcome, sleep(2000, 'still running')])).toBe('ended');
    expect(existsSync(dest)).toBe(false);
  });
});
