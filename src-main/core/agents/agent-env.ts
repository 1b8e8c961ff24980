/**
 * The environment an agent gets: the user's, minus Reins' own secrets and settings, plus the
 * agent's configured extras. Reins' variables (bot token, owner id, home) must never leak into a
 * process that runs model-chosen commands.
 */
const STRIPPED_PREFIXES = ['REINS_'];
// Set inside Claude Code sessions; the official SDKs remove it before spawning a nested CLI.
const STRIPPED_NAMES = new Set(['CLAUDECODE']);

const stripped = (name: string): boolean => STRIPPED_NAMES.has(name) || STRIPPED_PREFIXES.some((p) => name.toUpperCase().startsWith(p));

/**
 * The environment for an agent. Stripping happens after the merge, so that configured extras can
 * never put Reins' variables back (config validation refuses them too; this is the last line).
 */
export function agentEnv(userEnv: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...userEnv, ...extra })) {
    if (v === undefined || stripped(k)) continue;
    env[k] = v;
  }
  return env;
}
