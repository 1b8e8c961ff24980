import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createConsoleLogStream, formatRecord } from '../../../src-main/core/log-console.ts';

describe('console log lines', () => {
  it('turn a JSON record into one readable line with its fields', () => {
    const line = formatRecord(
      JSON.stringify({ level: 40, time: Date.UTC(2026, 10, 21, 12, 3, 4), pid: 1, ns: 'app:core', msg: 'runner.exit', code: 1, signal: null }),
    );
    expect(line).toBe('12:03:04  warning  app:core  runner.exit  code=1 signal=null');
  });

  it('pass anything that is not JSON through, and split records arriving in pieces', async () => {
    expect(formatRecord('plain text')).toBe('plain text');
    const out = new PassThrough();
    const got: string[] = [];
    out.on('data', (d) => got.push(String(d)));
    const s = createConsoleLogStream(out);
    const rec = JSON.stringify({ level: 50, time: 0, msg: 'boom' });
    s.write(rec.slice(0, 10));
    s.write(`${rec.slice(10)}\n`);
    await new Promise((r) => s.end(r));
    expect(got.join('')).toBe('00:00:00  error  boom\n');
  });
});
