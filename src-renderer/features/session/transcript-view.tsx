import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Session } from '../../../src-main/contract/domain.ts';
import { holdsStart } from '../../store/index.ts';
import { useAppState } from '../../store-context.tsx';
import { useNow } from '../approvals/use-now.ts';
import { TranscriptRow, type RowContext } from './rows.tsx';
import type { TranscriptItem } from './transcript.ts';

/** Within this many pixels of the end counts as "at the newest". */
const NEAR_END_PX = 48;
/** A scroll this soon after the owner's wheel, touch, key or pointer is the owner's. */
const USER_SCROLL_MS = 600;
/** Within this many pixels of the top, the page before is fetched. */
const NEAR_START_PX = 400;

/**
 * The chat, virtualised: only the rows in view (and a few around) are in the DOM, so a session of
 * any length opens and scrolls at the same speed. It follows the newest row while the owner is at
 * the end; scrolled up, it keeps its place (also while older pages are put in above) and offers a
 * "Jump to newest" button.
 */
export function TranscriptView(props: { session: Session; items: TranscriptItem[] }) {
  const { session, items } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const pending = useAppState((state) => state.pendingApprovals);
  const complete = useAppState((state) => holdsStart(state.transcripts[session.id]));
  const held = useAppState((state) => state.transcripts[session.id] !== undefined);
  const loadingOlder = useAppState((state) => state.transcripts[session.id]?.loadingOlder === true);
  const loadOlder = useAppState((state) => state.loadOlder);
  const now = useNow();

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 72,
    overscan: 4,
    getItemKey: (index) => items[index]!.key,
  });

  const toEnd = useCallback(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  // Rows grow as they are measured (and as Markdown loads): stay at the end while the owner is there.
  useEffect(() => {
    const box = inner.current;
    if (!box) return;
    const observer = new ResizeObserver(() => {
      if (atEnd.current) toEnd();
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [toEnd]);

  // Older rows put in above: move down by what was added, so the rows in view stay where they were.
  const firstKey = items[0]?.key;
  const lastHeight = useRef(0);
  const lastFirstKey = useRef(firstKey);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (lastFirstKey.current !== undefined && firstKey !== lastFirstKey.current && !atEnd.current) {
      el.scrollTop += el.scrollHeight - lastHeight.current;
    }
    if (atEnd.current) toEnd();
    lastFirstKey.current = firstKey;
    lastHeight.current = el.scrollHeight;
  });

  // Rows measured above the view move the scroll position too; only the owner's own scrolling
  // (wheel, touch, keys, the scrollbar) may take the view away from the newest row.
  const lastUserInput = useRef(0);
  const markUserInput = (): void => {
    lastUserInput.current = performance.now();
  };
  const onScroll = (): void => {
    const el = scroller.current;
    if (!el) return;
    const end = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_END_PX;
    const byOwner = performance.now() - lastUserInput.current < USER_SCROLL_MS;
    if (!end && !byOwner && atEnd.current) {
      toEnd();
      return;
    }
    if (end || byOwner) {
      atEnd.current = end;
      setShowJump(!end);
    }
    lastHeight.current = el.scrollHeight;
    if (el.scrollTop < NEAR_START_PX && !complete && !loadingOlder) void loadOlder(session.id).catch(() => {});
  };

  const toggle = useCallback(
    (key: string) =>
      setExpanded((state) => {
        const next = new Set(state);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    [],
  );
  const context: RowContext = useMemo(() => ({ session, pending, now, expanded, toggle }), [session, pending, now, expanded, toggle]);

  return (
    <div className="transcript">
      <div
        ref={scroller}
        className="transcript-scroller"
        onScroll={onScroll}
        onWheel={markUserInput}
        onTouchMove={markUserInput}
        onKeyDown={markUserInput}
        onPointerDown={markUserInput}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
        role="log"
        aria-label="Transcript"
        aria-busy={!held || loadingOlder}
        data-rows={items.length}
      >
        <div ref={inner} className="transcript-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index]!;
            return (
              <div
                key={row.key}
                ref={virtualizer.measureElement}
                data-index={row.index}
                data-kind={item.type}
                className="transcript-row"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <TranscriptRow item={item} context={context} />
              </div>
            );
          })}
        </div>
        {items.length === 0 ? <p className="muted transcript-empty">Nothing yet.</p> : null}
      </div>
      {loadingOlder ? <div className="transcript-more">Loading earlier messages…</div> : null}
      {showJump ? (
        <button
          type="button"
          className="jump-newest"
          onClick={() => {
            atEnd.current = true;
            setShowJump(false);
            toEnd();
          }}
        >
          Jump to newest ↓
        </button>
      ) : null}
    </div>
  );
}
