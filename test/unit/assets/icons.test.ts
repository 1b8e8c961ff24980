import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, iconFiles, renderIcon, TRAY_STATES } from '../../../scripts/make-icons.ts';

const root = join(import.meta.dirname, '..', '..', '..');

interface DecodedPng {
  width: number;
  height: number;
  rgba: Buffer;
}

/** A strict decoder for what encodePng writes: checks the signature, every CRC and the IHDR fields. */
function decodePng(png: Buffer): DecodedPng {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (width * 4 + 1));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

function pixel(image: DecodedPng, x: number, y: number): number[] {
  const offset = (y * image.width + x) * 4;
  return [...image.rgba.subarray(offset, offset + 4)];
}

describe('icons', () => {
  it('round-trips pixels through encodePng', () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const decoded = decodePng(encodePng(3, 2, rgba));
    expect(decoded).toMatchObject({ width: 3, height: 2 });
    expect([...decoded.rgba]).toEqual([...rgba]);
  });

  it('keeps the committed PNGs identical to what scripts/make-icons.ts draws', () => {
    const files = iconFiles();
    expect([...files.keys()]).toContain('assets/tray/waiting@2x.png');
    for (const [relative, expected] of files) {
      expect(readFileSync(join(root, relative)).equals(expected), `${relative} is stale: run node scripts/make-icons.ts`).toBe(true);
    }
  });

  it('draws each tray state at 16 px and 32 px with transparent corners', () => {
    for (const state of TRAY_STATES) {
      for (const size of [16, 32]) {
        const image = decodePng(renderIcon(state, size));
        expect(image).toMatchObject({ width: size, height: size });
        expect(pixel(image, 0, 0)[3]).toBe(0);
      }
    }
  });

  it('tells the states apart: a hollow grey ring, a green disc, an amber disc with a white centre', () => {
    const centre = (state: (typeof TRAY_STATES)[number]) => {
      const image = decodePng(renderIcon(state, 32));
      return { middle: pixel(image, 16, 16), rim: pixel(image, 16, 3) };
    };
    const idle = centre('idle');
    expect(idle.middle[3]).toBe(0);
    expect(idle.rim).toEqual([138, 143, 152, 255]);
    expect(centre('running').middle).toEqual([47, 179, 68, 255]);
    const waiting = centre('waiting');
    expect(waiting.middle).toEqual([255, 255, 255, 255]);
    expect(waiting.rim).toEqual([245, 159, 0, 255]);
  });

  it('rejects a pixel buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow('expected 16 RGBA bytes, got 15');
  });
});
