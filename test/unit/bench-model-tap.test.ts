import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startModelTap, toolCallGaps, type ModelTap, type ModelWire, type TappedRequest } from '../../bench/model-tap.ts';

/** A wire where a model turn is `/model` and a body `{result: true}` carries a tool result. */
const wire: ModelWire = {
  isModelTurn: (r) => r.path === '/model',
  carriesToolResult: (r) => r.body?.['result'] === true,
};
const req = (path: string, result: boolean, arrivedAt: number, answeredAt: number | null): TappedRequest => ({ path, body: { result }, arrivedAt, answeredAt });
const tapOf = (requests: TappedRequest[]): ModelTap => ({ origin: 'http://127.0.0.1:1', requests, close: async () => undefined });

describe('tool call gaps at the model tap', () => {
  it('measures from the answer that handed out the call to the request carrying its result, skipping other requests', () => {
    const tap = tapOf([
      req('/model', false, 0, 10),
      req('/title', false, 11, 12),
      req('/model', true, 25, 30),
      req('/model', false, 40, 45),
      req('/model', true, 52, 60),
    ]);
    expect(toolCallGaps(tap, wire)).toEqual([15, 7]);
    expect(toolCallGaps(tap, wire, 3)).toEqual([7]);
  });

  it('refuses a tool result without an answered model turn before it', () => {
    expect(() => toolCallGaps(tapOf([req('/model', true, 5, 6)]), wire)).toThrow(/wire rules/);
    expect(() => toolCallGaps(tapOf([req('/model', false, 0, null), req('/model', true, 5, 6)]), wire)).toThrow(/unanswered/);
    expect(() => toolCallGaps(tapOf([req('/model', false, 0, 1), req('/model', true, 2, 3), req('/model', true, 4, 5)]), wire)).toThrow(
      /carries a tool result/,
    );
  });

  it('forwards requests and streamed answers unchanged, and notes when each was answered', async () => {
    const upstream = createServer((r, res) => {
      let body = '';
      r.on('data', (c: Buffer) => (body += c.toString()));
      r.on('end', () => {
        res.writeHead(201, { 'content-type': 'text/event-stream' });
        res.write(`data: ${r.url}\n\n`);
        setTimeout(() => res.end(`data: ${body}\n\n`), 20);
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const tap = await startModelTap(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    try {
      const res = await fetch(`${tap.origin}/v1/x?alt=sse`, { method: 'POST', body: JSON.stringify({ a: 1 }) });
      expect(res.status).toBe(201);
      expect(await res.text()).toBe('data: /v1/x?alt=sse\n\ndata: {"a":1}\n\n');
      expect(tap.requests).toHaveLength(1);
      const [r] = tap.requests;
      expect(r).toMatchObject({ path: '/v1/x?alt=sse', body: { a: 1 } });
      expect(r!.answeredAt).not.toBeNull();
      expect(r!.answeredAt!).toBeGreaterThan(r!.arrivedAt);
    } finally {
      await tap.close();
      upstream.closeAllConnections();
      await new Promise<void>((done) => upstream.close(() => done()));
    }
  });
});
