/**
 * Environment and binary location for running the real, pinned `claude` CLI in tests against
 * the fake Anthropic API (`test/fakes/anthropic`). Never lets a test touch the real ~/.claude.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_API_KEY } from '../fakes/anthropic/index.ts';

/** The pinned CLI binary is missing from node_modules. */
class ClaudeBinaryMissingError extends Error {
  override readonly name = 'ClaudeBinaryMissingError';
  readonly path: string;
  constructor(path: string) {
    super(`The pinned claude CLI was not found at ${path}. Run \`npm ci\` in the repository root to install it.`);
    this.path = path;
  }
}

/**
 * The variables a test must give the CLI: model traffic to `fakeUrl`, a fake key, every
 * background call (telemetry, updates, error reports, feature flags) off, and config under `home`.
 * Merge them over a base env (see `claudeChildEnv`), since PATH etc. are still needed.
 */
function claudeTestEnv(fakeUrl: string, home: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: fakeUrl,
    ANTHROPIC_API_KEY: FAKE_API_KEY,
    // One switch for telemetry, error reporting, autoupdate, flag fetches and the /api/hello
    // probe: with it the CLI connects to nothing but ANTHROPIC_BASE_URL (and starts faster).
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
  };
}

/**
 * Variables of a developer's shell that would leak into the child and change what the CLI does
 * (another key or model, a proxy, "already inside Claude Code"); tests drop them.
 */
const LEAKY_PREFIXES = ['ANTHROPIC_', 'CLAUDE_', 'CLAUDECODE', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'];

/**
 * The complete env for a test's `claude` child: `base` (default `process.env`) without the
 * variables above, plus `claudeTestEnv`.
 */
export function claudeChildEnv(fakeUrl: string, home: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (LEAKY_PREFIXES.some((p) => key.toUpperCase().startsWith(p))) continue;
    env[key] = value;
  }
  return { ...env, ...claudeTestEnv(fakeUrl, home) };
}

/** Absolute path of the pinned CLI (`node_modules/.bin/claude`); throws if it is not installed. */
export function claudeBin(): string {
  const path = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));
  if (!existsSync(path)) throw new ClaudeBinaryMissingError(path);
  return path;
}
