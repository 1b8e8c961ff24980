import { describe, expect, it } from 'vitest';
import { planTests } from '../../../scripts/tasks/test.ts';

describe('planTests', () => {
  it('runs both suites in full without arguments', () => {
    expect(planTests([])).toEqual({ vitestArgs: [], playwrightArgs: [] });
  });

  it('sends e2e paths to Playwright only', () => {
    expect(planTests(['test/e2e/renderer.spec.ts'])).toEqual({ vitestArgs: null, playwrightArgs: ['test/e2e/renderer.spec.ts'] });
    expect(planTests(['./test/e2e'])).toEqual({ vitestArgs: null, playwrightArgs: ['./test/e2e'] });
  });

  it('sends everything else to vitest only', () => {
    expect(planTests(['test/unit/desktop', '-t', 'tray'])).toEqual({
      vitestArgs: ['test/unit/desktop', '-t', 'tray'],
      playwrightArgs: null,
    });
  });

  it('splits a mixed list between the runners', () => {
    expect(planTests(['test/unit/x.test.ts', 'test/e2e/y.spec.ts'])).toEqual({
      vitestArgs: ['test/unit/x.test.ts'],
      playwrightArgs: ['test/e2e/y.spec.ts'],
    });
  });
});
