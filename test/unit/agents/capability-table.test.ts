/** The README's capability table says what the registry says, agent by agent. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgentCapabilities } from '../../../src-main/contract/index.ts';
import { BUILTIN_AGENTS } from '../../../src-main/core/agents/registry.ts';

const COLUMNS: Array<keyof AgentCapabilities> = [
  'streaming',
  'approvals',
  'toolChecks',
  'questions',
  'planMode',
  'resume',
  'interrupt',
  'steer',
  'queueWhileBusy',
  'images',
];
const mark = (yes: boolean): string => (yes ? '✓' : '—');

/** The table's rows as the registry would write them. */
function expectedRows(): string[] {
  return BUILTIN_AGENTS.map((d) => `| ${d.displayName} | \`${d.id}\` | ${COLUMNS.map((c) => mark(d.capabilities[c])).join(' | ')} | ${mark(d.tested)} |`);
}

describe('the capability table in the README', () => {
  it('has one row per built-in agent, equal to its descriptor', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = /<!-- capability-table:start[^>]*-->\n([\s\S]*?)<!-- capability-table:end -->/.exec(readme)?.[1];
    expect(table, 'the README has the capability-table markers').toBeDefined();
    const rows = table!.trim().split('\n').slice(2);
    // On a mismatch, the expected rows are the ones to paste into the README.
    expect(rows).toEqual(expectedRows());
  });
});
