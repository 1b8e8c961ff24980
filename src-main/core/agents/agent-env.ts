/**
 * The environment an agent gets: the user's, minus Reins' own secrets and settings, plus the
 * agent's configured extras. Reins' variables (bot token, owner id, home) must never leak into a
 * process that runs model-chosen commands.
 */
const STRIPPED_PREFIXES = ['REINS_'];
// Set inside Claude Code sessions; the official SDKs remove it before spawning a nested CLI.
const STRIPPED_NAMES = new Set(['CLAUDECODE']);

export function agentEnv(userEnv: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(userEnv)) {
    if (v === undefined || STRIPPED_NAMES.has(k) || STRIPPED_PREFIXES.some((p) => k.startsWith(p))) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}
