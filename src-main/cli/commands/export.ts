/** `reins export`: a session's transcript (Markdown, JSON or HTML), secrets redacted, to stdout or a file. */
import { writeFileSync } from 'node:fs';
import type { ApiClient } from '../client.ts';
import { CliError } from '../client.ts';

const FORMATS = ['md', 'json', 'html'] as const;

/** Writes the transcript of session `id` (id, prefix or name) to `out`, or stdout when null. */
export async function exportCommand(api: ApiClient, id: string, format: string, out: string | null): Promise<number> {
  const f = FORMATS.find((x) => x === format);
  if (!f) throw new CliError(`--format takes md, json or html (got ${format}).`, 2);
  const { fileName, body } = await api.exportSession(id, f);
  if (out === null) {
    process.stdout.write(body);
    return 0;
  }
  try {
    // Owner-only: a transcript holds the session's code and output.
    writeFileSync(out, body, { mode: 0o600 });
  } catch (err) {
    throw new CliError(`Cannot write ${out}: ${(err as Error).message}. Pick another --out path.`);
  }
  process.stderr.write(`Wrote ${fileName} to ${out}.\n`);
  return 0;
}
