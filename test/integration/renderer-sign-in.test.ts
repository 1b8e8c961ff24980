/**
 * The renderer's connection as a signed-in page has it: the page's own origin, no token anywhere, the
 * session cookie the browser attaches (and the Origin it sends). Real core over real loopback HTTP and
 * WebSocket; the IO stands in for the browser only in adding what a browser adds by itself.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiClient, type ApiClientIo } from '../../src-main/client/api-client.ts';
import type { StreamFrame } from '../../src-main/contract/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { ensureSignedIn, NoConnectionError, pageConnection } from '../../src-renderer/connection.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

let dir: ReturnType<typeof tempDir>;
let daemon: Awaited<ReturnType<typeof startDaemon>>;

beforeAll(async () => {
  dir = tempDir();
  daemon = await startDaemon({ home: join(dir.path, 'home'), config: parseConfig({ port: 0 }), env: {}, telegram: false });
});
afterAll(async () => {
  await daemon.stop();
  dir.remove();
});

/** What a browser tab on `origin` sends by itself: its cookie (if any) and, on changes and handshakes, its Origin. */
function browserIo(origin: string, cookie: string | null) {
  const sent: { headers: Record<string, string>; credentials: RequestInit['credentials'] }[] = [];
  const protocolsOffered: string[][] = [];
  const io: ApiClientIo = {
    fetch: (input, init) => {
      const headers = { ...(init?.headers as Record<string, string>) };
      sent.push({ headers: { ...headers }, credentials: init?.credentials });
      if (cookie && init?.credentials === 'same-origin' && String(input).startsWith(`${origin}/`)) headers.cookie = cookie;
      if (init?.method !== 'GET') headers.origin = origin;
      return fetch(input, { ...init, headers });
    },
    openSocket: (url, protocols) => {
      protocolsOffered.push(protocols);
      return new WebSocket(url, protocols, { headers: { origin, ...(cookie ? { cookie } : {}) } });
    },
  };
  return { io, sent, protocolsOffered };
}

async function signedInCookie(): Promise<string> {
  const { url } = daemon.mintLoginUrl();
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('the renderer signed in by cookie', () => {
  it('calls the API and opens the stream with no token, only the cookie', async () => {
    const origin = daemon.url;
    const browser = browserIo(origin, await signedInCookie());
    const api = createApiClient(pageConnection({ origin }), { io: browser.io });
    await ensureSignedIn(api);
    expect((await api.authSession()).via).toBe('cookie');
    expect((await api.listSessions()).sessions).toEqual([]);
    await expect(api.createSession({ agent: 'claude', cwd: '/nonexistent-project', prompt: 'x' })).rejects.toMatchObject({ status: 400 });

    const frames: StreamFrame[] = [];
    const stream = api.openStream({ onFrame: (f) => frames.push(f), onClose: () => {} });
    await waitFor(() => frames.some((f) => f.type === 'hello'), 'the hello frame');
    stream.close();

    expect(browser.sent.length).toBeGreaterThan(0);
    for (const request of browser.sent) {
      expect(request.headers).not.toHaveProperty('authorization');
      expect(request.credentials).toBe('same-origin');
    }
    expect(browser.protocolsOffered).toEqual([[]]);
  });

  it('without a session says to run `reins open`', async () => {
    const origin = daemon.url;
    const api = createApiClient(pageConnection({ origin }), { io: browserIo(origin, null).io });
    const attempt = ensureSignedIn(api);
    await expect(attempt).rejects.toBeInstanceOf(NoConnectionError);
    await expect(attempt).rejects.toThrow('Run `reins open` to sign in.');
  });

  it('with the bearer token (CLI, desktop main) sends it and no cookie', async () => {
    const browser = browserIo(daemon.url, null);
    const api = createApiClient({ url: daemon.url, token: daemon.token }, { io: browser.io });
    expect((await api.authSession()).via).toBe('token');
    expect(browser.sent[0]).toMatchObject({ headers: { authorization: `Bearer ${daemon.token}` }, credentials: 'omit' });
  });
});
