import { describe, expect, it } from 'vitest';
import { classifyToolCall, parseShell } from '../../../src-main/core/approvals/index.ts';
import { claudeAction } from '../../../src-main/core/agents/claude/action.ts';

const ctx = { projectDir: '/work/project', homeDir: '/home/me' };

describe('bounded analysis of hostile command lines', () => {
  it('a line over 64 KiB is not analysed: it is opaque and goes to the owner', () => {
    const r = parseShell(`echo ${'x'.repeat(70_000)}`);
    expect(r).toMatchObject({ opaque: true, commands: [] });
    expect(r.reasons[0]).toMatch(/longer than 65536 characters/);
    expect(['high', 'critical']).toContain(classifyToolCall(claudeAction('Bash', { command: `ls ${'a'.repeat(70_000)}` }), ctx).level);
  });

  it('an eval chain that would re-parse the line again and again stops at the budget, opaque', () => {
    const r = parseShell(`${'eval '.repeat(12_000)}ls`);
    expect(r.opaque).toBe(true);
    expect(r.reasons.some((x) => /nested too deeply/.test(x))).toBe(true);
  });

  it('ordinary long lines below the limit are still analysed', () => {
    const r = parseShell('ls;'.repeat(5000));
    expect(r.opaque).toBe(false);
    expect(r.commands).toHaveLength(5000);
  });
});
