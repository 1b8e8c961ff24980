import type { StreamFrame } from '../../contract/index.ts';
import type { Store } from '../store/index.ts';
import type { Bus } from './bus.ts';

/**
 * Runs writes in one transaction and publishes their frames only after the outermost commit:
 * "persisted before shown". If the transaction throws, its frames are dropped and `onRollback`
 * lets caches (event seq counters) forget what they assumed.
 */
export function createUnitOfWork(store: Store, bus: Bus) {
  let depth = 0;
  let pending: StreamFrame[] = [];
  const rollbackHooks = new Set<() => void>();
  return {
    run<T>(fn: () => T): T {
      depth++;
      let result: T;
      try {
        result = store.transaction(fn);
      } catch (err) {
        depth--;
        if (depth === 0) {
          pending = [];
          for (const h of rollbackHooks) h();
        }
        throw err;
      }
      depth--;
      if (depth === 0 && pending.length > 0) {
        const frames = pending;
        pending = [];
        for (const f of frames) bus.publish(f);
      }
      return result;
    },
    /** Queues a frame for after commit (or publishes now outside a transaction). */
    emit(frame: StreamFrame): void {
      if (depth === 0) bus.publish(frame);
      else pending.push(frame);
    },
    onRollback(hook: () => void): void {
      rollbackHooks.add(hook);
    },
  };
}
export type UnitOfWork = ReturnType<typeof createUnitOfWork>;
