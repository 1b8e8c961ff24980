/**
 * The loopback API at the socket level: it listens on 127.0.0.1 and nowhere else (checked in the
 * kernel's socket table and by connecting to the machine's other addresses), parses only real JSON
 * bodies, and closes connections that never send a byte, while WebSocket streams stay open.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../src-main/contract/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let port: number;

beforeAll(async () => {
  dir = tempDir('reins-conn-');
  daemon = await startDaemon({
    home: join(dir.path, 'home'),
    config: parseConfig({ port: 0 }),
    env: {},
    telegram: false,
    apiTimeouts: { idleMs: 300, headersMs: 300, keepAliveMs: 300 },
  });
  port = Number(new URL(daemon.url).port);
});
afterAll(async () => {
  await daemon.stop();
  dir.remove();
});

/** The local addresses of listening TCP sockets on `port`, from /proc/net/tcp and tcp6 (hex). */
function listeningAddresses(p: number): string[] {
  const hexPort = p.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) out.push(local.slice(0, -5));
    }
  }
  return out;
}

const post = (contentType: string, body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/sessions', method: 'POST', headers: { authorization: `Bearer ${daemon.token}`, 'content-type': contentType } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

describe('the API socket', () => {
  it('listens on 127.0.0.1 only, as the kernel sees it', () => {
    expect(listeningAddresses(port)).toEqual(['0100007F']);
  });

  it("refuses connections to the machine's other addresses", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    if (others.length === 0) process.stdout.write('api-connections: this machine has no non-loopback IPv4 address; only the socket table was checked\n');
    for (const address of others) {
      const outcome = await new Promise<string>((resolve) => {
        const s = connect({ host: address, port });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(outcome, address).toBe('ECONNREFUSED');
    }
  });

  it('parses a body only when its media type is exactly application/json', async () => {
    const body = JSON.stringify({ agent: 'claude', cwd: '/nonexistent', prompt: 'x' });
    expect(await post('text/plain; x=application/json', body)).toBe(415);
    expect(await post('text/plain', body)).toBe(415);
    expect(await post('application/jsonx', body)).toBe(415);
    expect(await post('Application/JSON; charset=utf-8', body)).toBe(400);
  });

  it('closes a connection that never sends a byte; a WebSocket stream stays open past that', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, [`${WS_TOKEN_PROTOCOL_PREFIX}${daemon.token}`]);
    const frames: string[] = [];
    ws.on('message', (m) => frames.push(String(m)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const silent = connect({ host: '127.0.0.1', port });
    // The barrier: the server closing the silent socket proves the idle limit has passed.
    await new Promise<void>((resolve) => silent.once('close', () => resolve()));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(JSON.parse(frames[0] ?? '{}')).toMatchObject({ type: 'hello' });
    // Still answering, not merely not closed yet.
    const pong = new Promise<void>((resolve) => ws.once('pong', () => resolve()));
    ws.ping();
    await pong;
    ws.close();
  });
});
