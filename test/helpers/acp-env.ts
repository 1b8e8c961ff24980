/**
 * Offline setups for the real, pinned ACP agents in tests: each writes the CLI's configuration into
 * a temporary HOME and returns the environment that points it at a fake model server on 127.0.0.1.
 * Never lets a test touch the real ~/.gemini or ~/.config/opencode.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Variables of a developer's shell that would change what the CLIs do (another key, a proxy). */
const LEAKY_PREFIXES = [
  'GEMINI_',
  'GOOGLE_',
  'OPENCODE',
  'OPENAI_',
  'COPILOT_',
  'QWEN_',
  'GH_TOKEN',
  'GITHUB_TOKEN',
  'ANTHROPIC_',
  'CLAUDE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'XDG_',
];

function baseEnv(home: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined || LEAKY_PREFIXES.some((p) => k.toUpperCase().startsWith(p))) continue;
    env[k] = v;
  }
  return { ...env, HOME: home };
}

/** The pinned CLIs in node_modules/.bin (spelt out, so that tools see which packages the tests run). */
const PINNED = {
  gemini: new URL('../../node_modules/.bin/gemini', import.meta.url),
  opencode: new URL('../../node_modules/.bin/opencode', import.meta.url),
  copilot: new URL('../../node_modules/.bin/copilot', import.meta.url),
  qwen: new URL('../../node_modules/.bin/qwen', import.meta.url),
};

/** Absolute path of a pinned CLI; throws saying how to install it. */
export function pinnedBin(name: keyof typeof PINNED): string {
  const path = fileURLToPath(PINNED[name]);
  if (!existsSync(path)) throw new Error(`The pinned ${name} CLI was not found at ${path}. Run \`npm ci\` in the repository root to install it.`);
  return path;
}

/**
 * Gemini CLI against the fake Gemini API: the API-key auth type must be selected in settings, or
 * a custom base URL makes the CLI pick the "gateway" auth, which it then refuses; session retention
 * is off because 0.61.0's cleanup deletes resumed sessions (protocols reference §3.4).
 */
export function geminiEnv(fakeUrl: string, apiKey: string, home: string): Record<string, string> {
  mkdirSync(join(home, '.gemini'), { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' } },
    privacy: { usageStatisticsEnabled: false },
    general: { disableAutoUpdate: true, disableUpdateNag: true, sessionRetention: { enabled: false } },
    telemetry: { enabled: false },
  };
  writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify(settings, null, 2));
  return { ...baseEnv(home), GOOGLE_GEMINI_BASE_URL: fakeUrl, GEMINI_API_KEY: apiKey };
}

/**
 * OpenCode against the fake Chat Completions API: one provider (`fake`, openai-compatible) as the
 * default model, shell and edits asking for permission, no models.dev fetch, no sharing, no updates.
 */
export function opencodeEnv(fakeBaseUrl: string, apiKey: string, home: string): Record<string, string> {
  const dir = join(home, '.config', 'opencode');
  mkdirSync(dir, { recursive: true });
  const config = {
    $schema: 'https://opencode.ai/config.json',
    model: 'fake/fake-model',
    small_model: 'fake/fake-model',
    autoupdate: false,
    share: 'disabled',
    permission: { bash: 'ask', edit: 'ask' },
    provider: {
      fake: {
        npm: '@ai-sdk/openai-compatible',
        name: 'Fake local server',
        options: { baseURL: fakeBaseUrl, apiKey },
        models: { 'fake-model': { name: 'Fake model', tool_call: true } },
      },
    },
  };
  writeFileSync(join(dir, 'opencode.json'), JSON.stringify(config, null, 2));
  return { ...baseEnv(home), OPENCODE_DISABLE_MODELS_FETCH: '1', OPENCODE_DISABLE_AUTOUPDATE: '1' };
}

/**
 * GitHub Copilot CLI in BYOK mode: its OpenAI-compatible provider at the fake Chat Completions API
 * (`copilot help providers`); no GitHub login is needed then.
 */
export function copilotEnv(fakeBaseUrl: string, apiKey: string, home: string): Record<string, string> {
  return { ...baseEnv(home), COPILOT_PROVIDER_BASE_URL: fakeBaseUrl, COPILOT_PROVIDER_API_KEY: apiKey, COPILOT_MODEL: 'gpt-4.1' };
}

/** Qwen Code's OpenAI-compatible provider at the fake Chat Completions API. */
export function qwenEnv(fakeBaseUrl: string, apiKey: string, home: string): Record<string, string> {
  return { ...baseEnv(home), OPENAI_BASE_URL: fakeBaseUrl, OPENAI_API_KEY: apiKey, OPENAI_MODEL: 'fake-model' };
}
