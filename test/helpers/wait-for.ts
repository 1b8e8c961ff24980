/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 20_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      // `what` may be a function: a message built when the wait gives up (stderr collected so far).
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
