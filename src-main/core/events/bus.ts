import type { StreamFrame } from '../../contract/index.ts';
import type { Logger } from '../log.ts';

/** Receives every frame the core publishes (events, session and approval changes). */
export type FrameListener = (frame: StreamFrame) => void;

/**
 * In-process fan-out of committed changes to surfaces (WebSocket clients, Telegram, tray).
 * A throwing listener is logged and never breaks the core or other listeners.
 */
export function createBus(log: Logger) {
  const listeners = new Set<FrameListener>();
  return {
    subscribe(listener: FrameListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    publish(frame: StreamFrame): void {
      for (const l of listeners) {
        try {
          l(frame);
        } catch (err) {
          log.error({ err, frame: frame.type }, 'bus.listener_failed');
        }
      }
    },
  };
}
export type Bus = ReturnType<typeof createBus>;
