/**
 * The window with a long session, in Chromium (the renderer as the daemon serves it, the same code as
 * in Electron): how long a session of 100 000 events takes from the click to its painted transcript,
 * as a multiple of opening an empty session in the same run; the longest frame while scrolling back
 * through it (older pages load as it goes); and the gzipped size of the JavaScript the page loads
 * before anything is shown. The events are written straight into the store file (no agent runs).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { parseConfig } from '../src-main/core/index.ts';
import { startDaemon } from '../src-main/daemon/index.ts';
import { mintLoginUrl } from '../test/e2e/support/open-app.ts';
import { seedSession } from '../test/helpers/seed-session.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';
import type { Figure } from './report.ts';
import { percentile, round, spread } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EVENTS = 100_000;
const ROUNDS = 3;
/** Frames of programmatic scrolling towards the start, and how far each moves. */
const SCROLL_FRAMES = 600;
const SCROLL_STEP_PX = 900;
const BIG = 'hundred thousand events';
const EMPTY = 'empty session';

/** The bench's raw figures. */
export interface RendererSessionResult {
  events: number;
  openBigMs: number[];
  openEmptyMs: number[];
  /** Per round: the longest frame and the 99th percentile frame while scrolling, ms. */
  scrollMaxFrameMs: number[];
  scrollP99FrameMs: number[];
  /** Per round: the longest frame of as many frames with nothing to do (the machine's noise), ms. */
  idleMaxFrameMs: number[];
  /** Transcript rows reached by the scroll (older pages loaded on the way). */
  rowsReached: number[];
  initialJsGzipBytes: number;
  initialJsFiles: string[];
}

/** The scripts index.html loads at once (its module entry and what it preloads), gzipped. */
function initialJs(outDir: string): { bytes: number; files: string[] } {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length, 0);
  return { bytes, files };
}

// The two probes below run in the page. They are source text because this file is compiled for Node,
// without the DOM's types.

/** Clicks the session titled `title` in the sidebar; ms until its transcript is loaded and painted. */
async function openSession(page: Page, title: string): Promise<number> {
  return page.evaluate<number>(`(async (wanted) => {
    const button = [...document.querySelectorAll('[aria-label="Sessions"] button')].find((b) => b.textContent.includes(wanted));
    if (!button) throw new Error('no session "' + wanted + '" in the sidebar');
    const t0 = performance.now();
    button.click();
    await new Promise((resolve) => {
      const check = () => {
        const title = document.querySelector('.session-view h2')?.textContent;
        const log = document.querySelector('.session-view [role="log"]');
        if (title === wanted && log?.getAttribute('aria-busy') === 'false') resolve();
        else requestAnimationFrame(check);
      };
      check();
    });
    // The frame with the transcript in it has been painted once the next frame starts.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return performance.now() - t0;
  })(${JSON.stringify(title)})`);
}

/** The longest of `frames` frames while the page does nothing: this machine's noise floor for frame times. */
async function idleFrames(page: Page, frames: number): Promise<number> {
  return page.evaluate<number>(`(async (frames) => {
    let longest = 0;
    let last = await new Promise((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < frames; i++) {
      const now = await new Promise((resolve) => requestAnimationFrame(resolve));
      longest = Math.max(longest, now - last);
      last = now;
    }
    return longest;
  })(${frames})`);
}

/** Scrolls the open transcript towards its start, frame by frame; the frame times and the rows it then holds. */
async function scrollBack(page: Page): Promise<{ frames: number[]; rows: number }> {
  return page.evaluate<{ frames: number[]; rows: number }>(`(async (frames, step) => {
    const scroller = document.querySelector('.session-view [role="log"]');
    if (!scroller) throw new Error('no transcript');
    const deltas = [];
    let last = await new Promise((resolve) => requestAnimationFrame(resolve));
    for (let i = 0; i < frames; i++) {
      // A wheel event first: the view follows the newest row unless the owner scrolls.
      scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -step, bubbles: true }));
      scroller.scrollTop = Math.max(0, scroller.scrollTop - step);
      const now = await new Promise((resolve) => requestAnimationFrame(resolve));
      deltas.push(now - last);
      last = now;
    }
    return { frames: deltas, rows: Number(scroller.getAttribute('data-rows')) };
  })(${SCROLL_FRAMES}, ${SCROLL_STEP_PX})`);
}

/** Runs the bench: builds the renderer, seeds the store, serves it, and drives Chromium. */
export async function benchRendererSession(): Promise<RendererSessionResult> {
  const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (vite.status !== 0) throw new Error('vite build of the renderer failed (see above).');
  const js = initialJs(join(ROOT, 'out', 'renderer'));

  const dir = tempDir('reins-bench-renderer-');
  const home = join(dir.path, 'home');
  seedSession({ home, cwd: dir.path, title: BIG, events: EVENTS });
  seedSession({ home, cwd: dir.path, title: EMPTY, events: 0 });
  const daemon = await startDaemon({ home, config: parseConfig({ port: 0 }), env: {} });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  const result: RendererSessionResult = {
    events: EVENTS,
    openBigMs: [],
    openEmptyMs: [],
    scrollMaxFrameMs: [],
    scrollP99FrameMs: [],
    idleMaxFrameMs: [],
    rowsReached: [],
    initialJsGzipBytes: js.bytes,
    initialJsFiles: js.files,
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Signed in the way a person is: a one-time login URL, traded for the session cookie.
    await page.goto(await mintLoginUrl({ url: daemon.url, token: daemon.token }));
    const fresh = async (): Promise<void> => {
      await page.goto(`${daemon.url}/`);
      await page.waitForSelector('[role="status"][aria-label="Connection"]:text("Live")');
      await page.waitForSelector(`[aria-label="Sessions"] button:has-text("${BIG}")`);
    };
    for (let round = 0; round < ROUNDS; round++) {
      await fresh();
      result.openEmptyMs.push(await openSession(page, EMPTY));
      await fresh();
      result.openBigMs.push(await openSession(page, BIG));
      result.idleMaxFrameMs.push(await idleFrames(page, SCROLL_FRAMES));
      const { frames, rows } = await scrollBack(page);
      result.scrollMaxFrameMs.push(Math.max(...frames));
      result.scrollP99FrameMs.push(percentile(frames, 99));
      result.rowsReached.push(rows);
    }
  } finally {
    await browser.close();
    await daemon.stop();
    dir.remove();
  }
  return result;
}

/** The figures of {@link benchRendererSession}. */
export function rendererSessionFigures(r: RendererSessionResult): Figure[] {
  const ratios = r.openBigMs.map((ms, i) => ms / r.openEmptyMs[i]!);
  const kb = r.initialJsGzipBytes / 1024;
  return [
    {
      measure: `Window: open a session of ${r.events.toLocaleString('en-US')} events (click to painted), ms`,
      value: spread(r.openBigMs),
      unit: 'ms',
      target: { op: '<', value: 300, text: '< 300 ms' },
      absolute: `empty session ${round(Math.min(...r.openEmptyMs))}–${round(Math.max(...r.openEmptyMs))} ms`,
    },
    {
      measure: `Window: open ${r.events.toLocaleString('en-US')} events ÷ open an empty session`,
      value: spread(ratios),
      unit: 'ratio',
      target: null,
      absolute: `${round(Math.min(...r.openBigMs))}–${round(Math.max(...r.openBigMs))} ms vs ${round(Math.min(...r.openEmptyMs))}–${round(Math.max(...r.openEmptyMs))} ms`,
    },
    {
      measure: `Window: longest frame scrolling back through it (${SCROLL_FRAMES} frames, older pages loading), ms`,
      value: spread(r.scrollMaxFrameMs),
      unit: 'ms',
      target: { op: '<=', value: 50, text: '≤ 50 ms' },
      absolute: `p99 frame ${round(Math.min(...r.scrollP99FrameMs))}–${round(Math.max(...r.scrollP99FrameMs))} ms; longest frame of ${SCROLL_FRAMES} idle frames (noise floor) ${round(Math.min(...r.idleMaxFrameMs))}–${round(Math.max(...r.idleMaxFrameMs))} ms; ${Math.min(...r.rowsReached)}+ rows reached`,
    },
    {
      measure: 'Window: initial JavaScript, gzipped, KiB',
      value: spread([kb]),
      unit: 'count',
      target: { op: '<=', value: 110, text: '≤ 110 KiB' },
      absolute: r.initialJsFiles.join(', '),
    },
  ];
}
