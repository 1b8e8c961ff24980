/**
 * Turns the JSON reports of vitest and Playwright into the one closing line CI reads:
 * `N passed, N failed` (plus `, N skipped` when some were skipped).
 *
 * A runner that crashed, wrote no report, or exited non-zero with nothing marked failed (unhandled
 * errors, a broken config) still counts as one failure: a green line must never hide a red run.
 */

/**
 * What one runner left behind: its exit code and its parsed JSON report (null when none was written).
 * `checks` (lint, format, unused code) reports `{ passed, failed }`: one count per check.
 */
export interface RunnerOutcome {
  runner: 'vitest' | 'playwright' | 'checks';
  exitCode: number;
  report: unknown;
}

/** Totals over all runners, plus human notes explaining failures the counts alone would not show. */
export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  notes: string[];
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** vitest `--reporter=json`: test counts, plus one failure per file that failed without a failing test (import errors). */
function countVitest(report: Record<string, unknown>): Counts {
  const files = Array.isArray(report.testResults) ? report.testResults : [];
  const brokenFiles = files.filter((file: unknown) => {
    if (!isRecord(file) || file.status !== 'failed') return false;
    const tests = Array.isArray(file.assertionResults) ? file.assertionResults : [];
    return !tests.some((test: unknown) => isRecord(test) && test.status === 'failed');
  }).length;
  return {
    passed: num(report.numPassedTests),
    failed: num(report.numFailedTests) + brokenFiles,
    skipped: num(report.numPendingTests) + num(report.numTodoTests),
  };
}

/** Playwright `json` reporter: flaky tests passed on retry; global errors (config, webServer) count as failures. */
function countPlaywright(report: Record<string, unknown>): Counts {
  const stats = isRecord(report.stats) ? report.stats : {};
  const errors = Array.isArray(report.errors) ? report.errors.length : 0;
  return {
    passed: num(stats.expected) + num(stats.flaky),
    failed: num(stats.unexpected) + errors,
    skipped: num(stats.skipped),
  };
}

/** Adds up the outcomes of every runner that ran. */
export function summarize(outcomes: readonly RunnerOutcome[]): TestTotals {
  const totals: TestTotals = { passed: 0, failed: 0, skipped: 0, notes: [] };
  for (const outcome of outcomes) {
    if (!isRecord(outcome.report)) {
      totals.failed += 1;
      totals.notes.push(`${outcome.runner} wrote no JSON report (exit code ${outcome.exitCode}); counted as 1 failure`);
      continue;
    }
    const counts =
      outcome.runner === 'vitest'
        ? countVitest(outcome.report)
        : outcome.runner === 'playwright'
          ? countPlaywright(outcome.report)
          : { passed: num(outcome.report.passed), failed: num(outcome.report.failed), skipped: 0 };
    if (outcome.exitCode !== 0 && counts.failed === 0) {
      counts.failed = 1;
      totals.notes.push(`${outcome.runner} exited with code ${outcome.exitCode} although no test failed (unhandled error? see above); counted as 1 failure`);
    }
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  }
  return totals;
}

/** The closing line: `N passed, N failed`, with `, N skipped` only when something was skipped. */
export function formatSummary(totals: TestTotals): string {
  const line = `${totals.passed} passed, ${totals.failed} failed`;
  return totals.skipped > 0 ? `${line}, ${totals.skipped} skipped` : line;
}
