import type { ApiErrorBody } from './errors.ts';

/** A failure the next matching call gets instead of its real handling. */
export type Fault =
  /** A Bot API error body with HTTP status = error_code (4xx, 409, 429, or a JSON 5xx). */
  | { readonly kind: 'error'; readonly body: ApiErrorBody }
  /** A raw HTTP answer, e.g. the HTML 502 page Telegram's front end serves during outages. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly contentType: string }
  /** The connection is destroyed without any answer. */
  | { readonly kind: 'drop' };

interface Planned {
  readonly method: string;
  readonly fault: Fault;
  remaining: number;
}

/**
 * Faults queued by a test, consumed in order by the calls they match. A method of `*` matches any
 * call; method names match case-insensitively, as Telegram's do.
 */
export class FaultPlan {
  private readonly planned: Planned[] = [];

  /** Queues `fault` for the next `times` calls of `method`. */
  add(method: string, fault: Fault, times: number): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    this.planned.push({ method: method.toLowerCase(), fault, remaining: times });
  }

  /** The fault for this call, if one is queued; consumes one use of it. */
  take(method: string): Fault | undefined {
    const name = method.toLowerCase();
    const index = this.planned.findIndex((p) => p.method === name || p.method === '*');
    const entry = this.planned[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.planned.splice(index, 1);
    return entry.fault;
  }
}
