/**
 * OpenCode runs what its permission config allows without asking (reads, searches and, depending on
 * the owner's config, commands and edits), so over ACP those calls would reach Reins only after the
 * fact, and a read of `<data dir>/runtime.json` would hand the API token to the model. Every run
 * Reins starts therefore gets OPENCODE_PERMISSION (which OpenCode merges over every config file)
 * setting its file, shell, web and sub-agent permissions to `ask`: each such call becomes a
 * permission request that Reins' policy answers itself when harmless, denies when it reaches Reins,
 * and otherwise hands to the owner.
 */

/** The variable OpenCode reads its overriding permission config from. */
export const OPENCODE_PERMISSION_ENV = 'OPENCODE_PERMISSION';
/** OpenCode's permission names for reads, searches, edits, shell, web, sub-agents and paths outside the project. */
const ALWAYS_ASK = ['read', 'edit', 'bash', 'glob', 'grep', 'list', 'webfetch', 'websearch', 'task', 'external_directory'];

/**
 * The environment of one OpenCode run: `env` with OPENCODE_PERMISSION asking for every call above,
 * merged over a value the owner set. Throws (and the run does not start) when that value is not a
 * JSON object.
 */
export function opencodeRunEnv(env: Record<string, string>): Record<string, string> {
  const own = env[OPENCODE_PERMISSION_ENV];
  let base: Record<string, unknown> = {};
  if (own !== undefined && own !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(own);
    } catch {
      parsed = null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${OPENCODE_PERMISSION_ENV} in your environment is not a JSON object; fix or unset it`);
    base = parsed as Record<string, unknown>;
  }
  const permission = { ...base, ...Object.fromEntries(ALWAYS_ASK.map((p) => [p, 'ask'])) };
  return { ...env, [OPENCODE_PERMISSION_ENV]: JSON.stringify(permission) };
}
