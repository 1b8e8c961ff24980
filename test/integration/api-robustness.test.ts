/** Loopback API robustness: oversized bodies, malformed request targets. */
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let daemon: Awaited<ReturnType<typeof startDaemon>>;

beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir.path, 'p'));
  daemon = await startDaemon({ home: join(dir.path, 'home'), config: parseConfig({ port: 0 }), env: {}, telegram: false });
});
afterAll(async () => {
  await daemon.stop();
  dir.remove();
});

describe('oversized request bodies', () => {
  it('answer 413 and leave the client able to make its next requests', async () => {
    const auth = { authorization: `Bearer ${daemon.token}` };
    const big = JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) });
    for (let round = 0; round < 3; round++) {
      const res = await fetch(`${daemon.url}/api/v1/sessions/abc/messages`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: big,
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
      // The same keep-alive pool must not hand out a connection the server is about to drop.
      const statuses: number[] = [];
      for (const method of ['HEAD', 'OPTIONS', 'GET']) {
        const r = await fetch(`${daemon.url}/api/v1/sessions`, { method, headers: auth });
        await r.arrayBuffer();
        statuses.push(r.status);
      }
      expect(statuses).toEqual([404, 404, 200]);
    }
  });
});

/** A raw request with a target fetch would refuse to send. */
const rawStatus = (path: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const port = Number(new URL(daemon.url).port);
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${daemon.token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

describe('malformed request targets', () => {
  it('answer 4xx, never 500, and the server keeps serving', async () => {
    expect(await rawStatus('/%E0%A4%A')).toBe(404);
    expect(await rawStatus('http://[::1')).toBe(400);
    expect(await rawStatus('/api/v1/sessions/%ZZ')).toBe(404);
    expect(await rawStatus('/api/v1/sessions')).toBe(200);
  });
});
