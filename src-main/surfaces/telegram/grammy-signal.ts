/**
 * grammY types its `AbortSignal` parameters with the `abort-controller` shim package, whose type
 * differs from Node's own; at run time grammY passes the signal to fetch, which wants Node's.
 */
import type { Api } from 'grammy';

/** The signal type grammY's methods declare. */
export type GrammySignal = NonNullable<Parameters<Api['getMe']>[0]>;

/** Node's AbortSignal, typed the way grammY's methods declare it. */
export function grammySignal(signal: AbortSignal): GrammySignal {
  return signal as unknown as GrammySignal;
}
