/**
 * Draws the tray icons (assets/tray/<state>.png and <state>@2x.png) and the app icon (assets/icon.png)
 * with nothing but node:zlib, so the committed PNGs can be regenerated anywhere:
 *
 *   node scripts/make-icons.ts
 *
 * idle: a grey ring; running: a filled green disc; waiting: an amber disc with a white centre
 * (it needs the owner). Output is deterministic; a unit test checks the committed files match.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** Tray icon states, in the order the tray shows them. */
export const TRAY_STATES = ['idle', 'running', 'waiting'] as const;
export type TrayIconState = (typeof TRAY_STATES)[number];

type Rgb = readonly [number, number, number];

const COLORS: Record<TrayIconState, Rgb> = {
  idle: [138, 143, 152],
  running: [47, 179, 68],
  waiting: [245, 159, 0],
};
const WHITE: Rgb = [255, 255, 255];
const SUPERSAMPLE = 4;

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes 8-bit RGBA pixels (row-major, `width * height * 4` bytes) as a PNG file. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit depth, colour type 6 (RGBA), deflate, no filter set, no interlace
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter type "None" for every scanline
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), row + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Paints one icon: returns the colour and coverage (0..1) of the point (x, y) in a unit square. */
function paint(state: TrayIconState, x: number, y: number): { color: Rgb; alpha: number } {
  const r = Math.hypot(x - 0.5, y - 0.5);
  const outer = 0.44;
  if (r > outer) return { color: COLORS[state], alpha: 0 };
  if (state === 'idle') return { color: COLORS.idle, alpha: r >= outer - 0.14 ? 1 : 0 };
  if (state === 'waiting' && r <= 0.16) return { color: WHITE, alpha: 1 };
  return { color: COLORS[state], alpha: 1 };
}

/** Renders the icon for `state` at `size`×`size` pixels, anti-aliased by supersampling. */
export function renderIcon(state: TrayIconState, size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let red = 0;
      let green = 0;
      let blue = 0;
      let alpha = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const sample = paint(state, (px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size);
          red += sample.color[0] * sample.alpha;
          green += sample.color[1] * sample.alpha;
          blue += sample.color[2] * sample.alpha;
          alpha += sample.alpha;
        }
      }
      const offset = (py * size + px) * 4;
      if (alpha > 0) {
        rgba[offset] = Math.round(red / alpha);
        rgba[offset + 1] = Math.round(green / alpha);
        rgba[offset + 2] = Math.round(blue / alpha);
        rgba[offset + 3] = Math.round((alpha / (SUPERSAMPLE * SUPERSAMPLE)) * 255);
      }
    }
  }
  return encodePng(size, size, rgba);
}

/** Every icon file under assets/, keyed by its path relative to the repository root. */
export function iconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of TRAY_STATES) {
    files.set(`assets/tray/${state}.png`, renderIcon(state, 16));
    files.set(`assets/tray/${state}@2x.png`, renderIcon(state, 32));
  }
  files.set('assets/icon.png', renderIcon('running', 512));
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const [relative, png] of iconFiles()) {
    const target = join(root, relative);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, png);
    process.stdout.write(`wrote ${relative} (${png.length} bytes)\n`);
  }
}
