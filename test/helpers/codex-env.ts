/**
 * Running the real, pinned `codex` CLI in tests against the fake Responses API
 * (`test/fakes/openai-responses`): a private CODEX_HOME whose config.toml points a custom model
 * provider at the fake, and the environment the CLI needs. Never touches the real ~/.codex.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_MODEL, FAKE_OPENAI_KEY } from '../fakes/openai-responses/index.ts';

/** The variable config.toml names as the provider's `env_key`; Codex sends its value as the bearer token. */
const CODEX_KEY_ENV = 'TEST_FAKE_OPENAI_KEY';

/**
 * Writes `<codexHome>/config.toml`: the model, and a custom provider `fake` whose `base_url` is the
 * fake (Codex posts to `{base_url}/responses` over plain HTTP SSE; no retries, so a refusal fails fast).
 */
export function writeCodexConfig(codexHome: string, baseUrl: string, model = FAKE_MODEL): void {
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      `model = ${JSON.stringify(model)}`,
      'model_provider = "fake"',
      '',
      '[model_providers.fake]',
      'name = "Fake local Responses server"',
      `base_url = ${JSON.stringify(baseUrl)}`,
      `env_key = ${JSON.stringify(CODEX_KEY_ENV)}`,
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
}

/** Variables of a developer's shell that would change what the CLI does; tests drop them. */
const LEAKY_PREFIXES = ['OPENAI_', 'CODEX_', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY'];

/** The complete env for a test's `codex` child: `base` without the variables above, plus CODEX_HOME, HOME and the key. */
export function codexChildEnv(codexHome: string, home: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || LEAKY_PREFIXES.some((p) => key.toUpperCase().startsWith(p))) continue;
    env[key] = value;
  }
  return { ...env, HOME: home, CODEX_HOME: codexHome, [CODEX_KEY_ENV]: FAKE_OPENAI_KEY };
}

/** Absolute path of the pinned CLI (`node_modules/.bin/codex`); throws if it is not installed. */
export function codexBin(): string {
  const path = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url));
  if (!existsSync(path)) throw new Error(`The pinned codex CLI was not found at ${path}. Run \`npm ci\` in the repository root to install it.`);
  return path;
}
