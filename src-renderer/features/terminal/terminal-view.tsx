/**
 * A terminal session in xterm.js: the stored output first, then live output as events arrive;
 * keystrokes go to `POST /sessions/:id/input` in order, the size to `/resize`. Loaded on demand (its
 * own chunk), since xterm.js is the heaviest part of the window.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { Session, SessionState } from '../../../src-main/contract/domain.ts';
import { useApi, useAppStore } from '../../store-context.tsx';
import { applySpanStylesThroughCssom, cspSafeDocument, openCspSafe } from './csp-safe-document.ts';

/** Colours of the terminal, read from the page's theme variables so both themes fit. */
function themeFrom(element: HTMLElement) {
  const css = getComputedStyle(element);
  const get = (name: string): string => css.getPropertyValue(name).trim();
  return { background: get('--term-bg'), foreground: get('--term-fg'), cursor: get('--term-fg'), selectionBackground: get('--term-selection') };
}

/**
 * Whether the program of a session in each state can take keys and sizes. A Record, so that the
 * compiler insists on every state the contract defines (the renderer takes only types from it).
 */
const PROGRAM_RUNS: Record<SessionState, boolean> = {
  starting: false,
  running: true,
  stalled: true,
  waiting: true,
  idle: true,
  stopped: false,
  failed: false,
  interrupted: false,
};

/** Waits this long after the last size change before telling the core (dragging a window resizes often). */
const RESIZE_SETTLE_MS = 150;

/** The terminal of `session`; typing is possible while its program runs. */
export default function TerminalView(props: { session: Session }) {
  const { session } = props;
  const api = useApi();
  const store = useAppStore();
  const host = useRef<HTMLDivElement>(null);
  const [sendError, setSendError] = useState<string | null>(null);
  const sessionId = session.id;

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    applySpanStylesThroughCssom();
    const terminal = new Terminal({
      documentOverride: cspSafeDocument(document),
      convertEol: false,
      cursorBlink: true,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: themeFrom(element),
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    openCspSafe(document, () => terminal.open(element));

    // Output: every terminal_output event once, in seq order, history first.
    let written = 0;
    const writeNew = (): void => {
      const events = store.getState().transcripts[sessionId]?.events ?? [];
      for (const event of events) {
        if (event.seq <= written) continue;
        written = event.seq;
        if (event.kind === 'terminal_output') terminal.write(event.payload.data);
      }
    };
    writeNew();

    // The core takes keys and sizes only while the program runs: not while it starts, nor after it
    // ended (it would answer 409).
    const running = (): boolean => {
      const state = store.getState().sessions[sessionId]?.state;
      return state !== undefined && PROGRAM_RUNS[state];
    };

    // Size: the latest fitted size, sent once the program runs and again whenever it changes.
    let sentSize = '';
    const pushSize = (): void => {
      const size = `${terminal.cols}x${terminal.rows}`;
      if (size === sentSize || !running()) return;
      sentSize = size;
      api.terminalResize(sessionId, terminal.cols, terminal.rows).catch(() => {
        sentSize = '';
      });
    };
    let resizeTimer: number | undefined;
    const resize = terminal.onResize(() => {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(pushSize, RESIZE_SETTLE_MS);
    });

    const unsubscribe = store.subscribe((state, previous) => {
      if (state.transcripts[sessionId] !== previous.transcripts[sessionId]) writeNew();
      if (state.sessions[sessionId] !== previous.sessions[sessionId]) pushSize();
    });

    // Input: one request at a time, so keystrokes arrive in the order they were typed.
    let queue: Promise<unknown> = Promise.resolve();
    const input = terminal.onData((data) => {
      if (!running()) return;
      queue = queue.then(() =>
        api.terminalInput(sessionId, data).then(
          () => setSendError(null),
          (error: unknown) => setSendError(error instanceof Error ? error.message : String(error)),
        ),
      );
    });

    // No keyboard trap: Escape then Tab (or Shift+Tab) leaves the terminal, as in code editors; the
    // Escape still reaches the program, the Tab does not.
    let afterEscape = false;
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      if (event.key === 'Tab' && afterEscape) return false;
      afterEscape = event.key === 'Escape';
      return true;
    });

    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(element);
    fit.fit();
    pushSize();
    terminal.focus();

    // The theme may change while the terminal is open (toggle or system).
    const retheme = (): void => {
      terminal.options.theme = themeFrom(element);
    };
    const themeWatch = new MutationObserver(retheme);
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const systemScheme = window.matchMedia('(prefers-color-scheme: dark)');
    systemScheme.addEventListener('change', retheme);

    return () => {
      window.clearTimeout(resizeTimer);
      themeWatch.disconnect();
      systemScheme.removeEventListener('change', retheme);
      observer.disconnect();
      unsubscribe();
      input.dispose();
      resize.dispose();
      terminal.dispose();
    };
  }, [api, store, sessionId]);

  const ended = session.state === 'stopped' || session.state === 'failed' || session.state === 'interrupted';
  return (
    <section className="terminal-view" aria-label="Terminal">
      <div className="terminal-host" ref={host} />
      <p className="muted hint">Esc, then Tab, moves the focus out of the terminal.</p>
      {ended ? <p className="muted">The program has ended ({session.stateReason ?? session.state}); its output stays here.</p> : null}
      {sendError ? (
        <p className="error one-line" role="alert">
          {sendError}
        </p>
      ) : null}
    </section>
  );
}
