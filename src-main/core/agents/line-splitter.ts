/**
 * Splits a byte stream into lines with bounded memory: a line longer than `maxLineBytes` is not
 * buffered; its excess bytes are discarded and the line is reported as oversized. Splitting on
 * bytes (not decoded text) keeps multi-byte UTF-8 characters split across chunks intact.
 */
export interface LineSplitterHandlers {
  line(bytes: Buffer): void;
  oversized(totalBytes: number, head: Buffer): void;
}

const NEWLINE = 0x0a;
const HEAD_BYTES = 200;

export function createLineSplitter(maxLineBytes: number, on: LineSplitterHandlers) {
  let parts: Buffer[] = [];
  let size = 0;
  let overflowHead: Buffer | null = null;

  const take = (chunk: Buffer): void => {
    if (overflowHead) {
      size += chunk.length;
      return;
    }
    if (size + chunk.length > maxLineBytes) {
      overflowHead = Buffer.concat([...parts, chunk]).subarray(0, HEAD_BYTES);
      parts = [];
      size += chunk.length;
      return;
    }
    parts.push(chunk);
    size += chunk.length;
  };
  const finish = (): void => {
    if (overflowHead) on.oversized(size, overflowHead);
    else if (size > 0) on.line(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
    parts = [];
    size = 0;
    overflowHead = null;
  };

  return {
    push(chunk: Buffer): void {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(NEWLINE, start);
        if (nl === -1) {
          if (start < chunk.length) take(chunk.subarray(start));
          return;
        }
        take(chunk.subarray(start, nl));
        finish();
        start = nl + 1;
      }
    },
    /** Bytes of an unterminated last line, if any (the stream ended mid-line). */
    end(): Buffer | null {
      if (size === 0 && !overflowHead) return null;
      const rest = overflowHead ?? Buffer.concat(parts, size);
      parts = [];
      size = 0;
      overflowHead = null;
      return rest;
    },
  };
}
