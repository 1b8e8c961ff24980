/**
 * The agents whose own hook settings Reins can install, and how long each lets a hook run. Imported
 * by the hook client, so it stays free of imports: the client must start fast.
 */

/** Agents with a hook installer and a hook client contract. */
export const HOOK_AGENTS = ['claude', 'codex', 'gemini', 'cursor'] as const;
export type HookAgent = (typeof HOOK_AGENTS)[number];

export const isHookAgent = (v: string): v is HookAgent => (HOOK_AGENTS as readonly string[]).includes(v);

/**
 * The hook timeout written into each agent's settings, in seconds. Long enough for the owner to decide
 * from the phone (the default approval timeout is 300 s); the agent kills a hook that runs longer.
 */
export const HOOK_TIMEOUT_S = 600;

/**
 * How long the hook client waits for the core before it denies by itself: under the agent's timeout
 * (a killed hook may fail open: Claude without `onFailure: "block"`, Codex, Gemini), with room for
 * the process to start and print.
 */
export const CLIENT_BUDGET_MS = (HOOK_TIMEOUT_S - 10) * 1000;

/**
 * What the client asks the core to stay within: the core answers (deny, approval withdrawn) before
 * the client's own budget runs out, so nothing stays pending on a surface after the hook is gone.
 */
export const CORE_BUDGET_MS = CLIENT_BUDGET_MS - 3000;

/** Longest the client waits for a connection to the core: a stopped core must not hold the agent up. */
export const CONNECT_TIMEOUT_MS = 700;
