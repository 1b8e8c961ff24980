import type { SessionEvent, StreamFrame } from '../src-main/contract/index.ts';
import type { TestApi } from '../test/helpers/api-client.ts';

/** The event stream as the API client opens it: every frame so far, and the socket. */
type Stream = Awaited<ReturnType<TestApi['stream']>>;

/** No matching frame arrived in time. */
class FrameWaitError extends Error {
  override readonly name = 'FrameWaitError';
  constructor(what: string, timeoutMs: number) {
    super(`The bench waited ${timeoutMs} ms for ${what} on the event stream, and it never came.`);
  }
}

/**
 * Resolves with the first frame at index `from` or later of `stream.frames` that `match` accepts.
 * Event-driven rather than polled, so waiting adds no requests to the core being measured.
 */
export function frameAfter(stream: Stream, from: number, match: (f: StreamFrame) => boolean, what: string, timeoutMs = 120_000): Promise<StreamFrame> {
  return new Promise((resolve, reject) => {
    let next = from;
    const scan = (): void => {
      for (; next < stream.frames.length; next++) {
        const frame = stream.frames[next]!;
        if (match(frame)) {
          finish();
          resolve(frame);
          return;
        }
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new FrameWaitError(what, timeoutMs));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      stream.ws.off('message', scan);
    };
    // The client's own listener was added first, so a frame is in `stream.frames` when this runs.
    stream.ws.on('message', scan);
    scan();
  });
}

/** A frame matcher: an event of `sessionId` that `match` accepts. */
export const eventOf =
  (sessionId: string, match: (e: SessionEvent) => boolean) =>
  (f: StreamFrame): boolean =>
    f.type === 'event' && f.event.sessionId === sessionId && match(f.event);

/** The end of a turn (the status event that closes it). */
export const turnEnded = (e: SessionEvent): boolean => e.kind === 'status' && e.payload.turn === 'ended';
