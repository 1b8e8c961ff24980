/** Loopback API robustness: what an oversized request leaves behind for the client's next call. */
import { mkdirSync } from 'node:fs';
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
      const res = await fetch(`${daemon.url}/api/v1/sessions/abc/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: big });
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
