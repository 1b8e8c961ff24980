import { describe, expect, it } from 'vitest';
import { formatSummary, summarize } from '../../../scripts/lib/test-summary.ts';

// Report shapes as vitest 5 (`--reporter=json`) and Playwright 1.65 (`json` reporter) write them.
const vitestReport = (overrides: Record<string, unknown> = {}) => ({
  numTotalTests: 5,
  numPassedTests: 3,
  numFailedTests: 1,
  numPendingTests: 0,
  numTodoTests: 1,
  success: false,
  testResults: [
    { name: '/r/a.test.ts', status: 'failed', assertionResults: [{ status: 'passed' }, { status: 'failed' }, { status: 'todo' }] },
    { name: '/r/b.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }, { status: 'passed' }] },
  ],
  ...overrides,
});

describe('summarize', () => {
  it('counts vitest passes, failures and todo/skipped tests', () => {
    const totals = summarize([{ runner: 'vitest', exitCode: 1, report: vitestReport() }]);
    expect(totals).toMatchObject({ passed: 3, failed: 1, skipped: 1 });
    expect(formatSummary(totals)).toBe('3 passed, 1 failed, 1 skipped');
  });

  it('counts a file that failed to load (no failing test inside) as one failure', () => {
    const report = vitestReport({
      numFailedTests: 0,
      numTodoTests: 0,
      testResults: [
        { name: '/r/broken.test.ts', status: 'failed', message: 'Cannot find module', assertionResults: [] },
        { name: '/r/b.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    });
    const totals = summarize([{ runner: 'vitest', exitCode: 1, report }]);
    expect(formatSummary(totals)).toBe('3 passed, 1 failed');
  });

  it('adds Playwright results, counting flaky as passed and global errors as failures', () => {
    const playwright = { stats: { expected: 2, unexpected: 1, flaky: 1, skipped: 2 }, errors: [{ message: 'webServer exited' }] };
    const totals = summarize([
      { runner: 'vitest', exitCode: 0, report: vitestReport({ numFailedTests: 0, numTodoTests: 0, testResults: [] }) },
      { runner: 'playwright', exitCode: 1, report: playwright },
    ]);
    expect(totals).toMatchObject({ passed: 6, failed: 2, skipped: 2 });
  });

  it('counts each static check (lint, unused code) as one test', () => {
    const totals = summarize([
      { runner: 'checks', exitCode: 1, report: { passed: 1, failed: 1 } },
      { runner: 'vitest', exitCode: 0, report: vitestReport({ numFailedTests: 0, numTodoTests: 0, testResults: [] }) },
    ]);
    expect(totals).toMatchObject({ passed: 4, failed: 1 });
  });

  it('never prints a green line for a runner that crashed without a report', () => {
    const totals = summarize([{ runner: 'vitest', exitCode: 1, report: null }]);
    expect(formatSummary(totals)).toBe('0 passed, 1 failed');
    expect(totals.notes[0]).toContain('vitest wrote no JSON report');
  });

  it('counts a non-zero exit with nothing failed (unhandled error) as one failure', () => {
    const report = vitestReport({ numFailedTests: 0, numTodoTests: 0, testResults: [] });
    const totals = summarize([{ runner: 'vitest', exitCode: 1, report }]);
    expect(formatSummary(totals)).toBe('3 passed, 1 failed');
    expect(totals.notes[0]).toContain('exited with code 1');
  });

  it('omits the skipped count when nothing was skipped', () => {
    expect(formatSummary({ passed: 7, failed: 0, skipped: 0, notes: [] })).toBe('7 passed, 0 failed');
  });
});
