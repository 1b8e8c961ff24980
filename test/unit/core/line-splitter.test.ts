import { describe, expect, it } from 'vitest';
import { createLineSplitter } from '../../../src-main/core/agents/line-splitter.ts';

const collect = (max = 1024) => {
  const lines: string[] = [];
  const oversized: { total: number; head: string }[] = [];
  const s = createLineSplitter(max, {
    line: (b) => lines.push(b.toString('utf8')),
    oversized: (total, head) => oversized.push({ total, head: head.toString('utf8') }),
  });
  return { s, lines, oversized };
};

describe('line splitter', () => {
  it('splits lines across arbitrary chunk boundaries', () => {
    const { s, lines } = collect();
    const text = '{"a":1}\n{"b":"two"}\n\n{"c":3}\n';
    for (let i = 0; i < text.length; i += 3) s.push(Buffer.from(text.slice(i, i + 3)));
    expect(lines).toEqual(['{"a":1}', '{"b":"two"}', '{"c":3}']);
    expect(s.end()).toBeNull();
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const { s, lines } = collect();
    const bytes = Buffer.from('héllo ✓ 😀\n');
    for (const b of bytes) s.push(Buffer.from([b]));
    expect(lines).toEqual(['héllo ✓ 😀']);
  });

  it('drops an oversized line without buffering it, then carries on', () => {
    const { s, lines, oversized } = collect(100);
    s.push(Buffer.from('x'.repeat(60)));
    s.push(Buffer.from('y'.repeat(10_000)));
    s.push(Buffer.from('z\n{"ok":true}\n'));
    expect(oversized).toHaveLength(1);
    expect(oversized[0]!.total).toBe(10_061);
    expect(oversized[0]!.head.startsWith('x'.repeat(60))).toBe(true);
    expect(oversized[0]!.head.length).toBeLessThanOrEqual(200);
    expect(lines).toEqual(['{"ok":true}']);
  });

  it('returns an unterminated tail at the end', () => {
    const { s, lines } = collect();
    s.push(Buffer.from('{"a":1}\n{"partial":'));
    expect(lines).toEqual(['{"a":1}']);
    expect(s.end()?.toString()).toBe('{"partial":');
  });
});
