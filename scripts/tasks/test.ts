/**
 * `npm test`: the static checks (Biome's linter and formatter, knip's unused files, exports and
 * dependencies), vitest (unit + integration), then the Playwright suite in test/e2e when it has specs and a
 * Chromium is installed, then one closing line `N passed, N failed` computed from the JSON reports.
 *
 * When a D-Bus session bus and gnome-keyring are installed but no session is running (CI, SSH), the run
 * re-enters itself inside `dbus-run-session` with a throwaway unlocked keyring (.ci/with-keyring.sh), so
 * the secrets tests exercise the real OS keychain; the wrapper sets REQUIRE_KEYRING=1 so they cannot skip.
 *
 * Arguments: paths under test/e2e go to Playwright, everything else to vitest; given any arguments, only
 * the runners they address run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatSummary, summarize, type RunnerOutcome } from '../lib/test-summary.ts';
import { onPath, projectRoot, runForeground, say } from '../lib/proc.ts';

const OUT_DIR = join(projectRoot, '.ci-out');
const VITEST_REPORT = join(OUT_DIR, 'vitest.json');
const PLAYWRIGHT_REPORT = join(OUT_DIR, 'playwright.json');
const E2E_DIR = join(projectRoot, 'test', 'e2e');

/** How `npm test` arguments are split between the two runners. */
export interface TestPlan {
  vitestArgs: string[] | null;
  playwrightArgs: string[] | null;
}

/** Splits the arguments: positional paths under test/e2e go to Playwright, the rest to vitest. */
export function planTests(args: readonly string[]): TestPlan {
  if (args.length === 0) return { vitestArgs: [], playwrightArgs: [] };
  const isE2e = (arg: string): boolean => arg.replace(/^\.\//, '').startsWith('test/e2e');
  const playwrightArgs = args.filter(isE2e);
  const vitestArgs = args.filter((arg) => !isE2e(arg));
  return {
    vitestArgs: vitestArgs.length > 0 ? vitestArgs : null,
    playwrightArgs: playwrightArgs.length > 0 ? playwrightArgs : null,
  };
}

function hasE2eSpecs(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((name) => name.endsWith('.spec.ts'));
}

function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
}

function readReport(path: string): unknown {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function keyringWrapperWanted(): boolean {
  return (
    !process.env.DBUS_SESSION_BUS_ADDRESS &&
    onPath('dbus-run-session') &&
    onPath('gnome-keyring-daemon') &&
    existsSync(join(projectRoot, '.ci', 'with-keyring.sh'))
  );
}

/** The static checks, each counted as one test: what fails prints its findings above the summary. */
const CHECKS: ReadonlyArray<{ name: string; bin: string; args: string[] }> = [
  { name: 'lint (biome lint)', bin: join('@biomejs', 'biome', 'bin', 'biome'), args: ['lint', '--error-on-warnings', '.'] },
  { name: 'format (biome format)', bin: join('@biomejs', 'biome', 'bin', 'biome'), args: ['format', '.'] },
  { name: 'unused files, exports and dependencies (knip)', bin: join('knip', 'bin', 'knip.js'), args: ['--no-progress'] },
];

async function runChecks(env: NodeJS.ProcessEnv): Promise<RunnerOutcome> {
  let passed = 0;
  let failed = 0;
  for (const check of CHECKS) {
    say(`check: ${check.name}`);
    const code = await runForeground(process.execPath, [join(projectRoot, 'node_modules', check.bin), ...check.args], { env });
    if (code === 0) passed++;
    else {
      failed++;
      say(`check FAILED: ${check.name} (see above)`);
    }
  }
  return { runner: 'checks', exitCode: failed > 0 ? 1 : 0, report: { passed, failed } };
}

/** Runs the suites and prints the closing summary line; resolves the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  if (keyringWrapperWanted()) {
    say('running the tests inside a private D-Bus session with a throwaway unlocked gnome-keyring');
    return runForeground('dbus-run-session', [
      '--',
      'bash',
      join(projectRoot, '.ci', 'with-keyring.sh'),
      process.execPath,
      join(projectRoot, 'scripts', 'launch.mjs'),
      'test',
      ...args,
    ]);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const plan = planTests(args);
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  const outcomes: RunnerOutcome[] = [];

  if (args.length === 0) outcomes.push(await runChecks(env));

  if (plan.vitestArgs) {
    rmSync(VITEST_REPORT, { force: true });
    const vitest = join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');
    const exitCode = await runForeground(
      process.execPath,
      [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_REPORT}`, ...plan.vitestArgs],
      { env },
    );
    outcomes.push({ runner: 'vitest', exitCode, report: readReport(VITEST_REPORT) });
  }

  if (plan.playwrightArgs) {
    const chromium = chromiumPath();
    if (!hasE2eSpecs(E2E_DIR)) {
      if (plan.playwrightArgs.length > 0) say('no Playwright specs in test/e2e');
    } else if (!chromium) {
      say('e2e suite not run: no Chromium at /usr/bin/chromium (set CHROMIUM_PATH, or apt-get install chromium)');
    } else {
      rmSync(PLAYWRIGHT_REPORT, { force: true });
      const cli = join(projectRoot, 'node_modules', '@playwright', 'test', 'cli.js');
      const exitCode = await runForeground(process.execPath, [cli, 'test', ...plan.playwrightArgs], {
        env: { ...env, CHROMIUM_PATH: chromium },
      });
      outcomes.push({ runner: 'playwright', exitCode, report: readReport(PLAYWRIGHT_REPORT) });
    }
  }

  const totals = summarize(outcomes);
  for (const note of totals.notes) say(note);
  process.stdout.write(`${formatSummary(totals)}\n`);
  return totals.failed > 0 || outcomes.some((outcome) => outcome.exitCode !== 0) ? 1 : 0;
}
