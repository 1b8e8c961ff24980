/**
 * Session transcripts: a session's event log as Markdown, JSON or one self-contained HTML file,
 * secrets redacted exactly as in everything sent to Telegram.
 */
import type { CoreFacade } from '../../contract/core-facade.ts';
import type { Session } from '../../contract/domain.ts';
import type { Redactor } from '../redaction/index.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { createBlockBuilder, redactDeep } from './model.ts';

const EXPORT_FORMATS = ['md', 'json', 'html'] as const;
/** A transcript format. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A built transcript, ready to send or save. */
export interface Transcript {
  fileName: string;
  contentType: string;
  body: string;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** Events read per page: bounded memory per read, however long the session. */
const PAGE = 1000;

/** Whether `value` names a format. */
export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** A file name safe on every OS: the session's name (letters, digits, `-`, `_`) and the extension. */
function transcriptFileName(session: Pick<Session, 'name' | 'id'>, format: ExportFormat): string {
  const base =
    session.name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || session.id.slice(0, 8);
  return `reins-${base}.${format}`;
}

/** Lets the core's other work (approvals, the agents' output) run between pages of a long export. */
const nextTurnOfTheLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Each line after the first moved right by `pad`: a JSON value nested at that depth. */
const nested = (json: string, pad: string): string => json.replace(/\n/g, `\n${pad}`);

/**
 * Builds the transcript of a session (by id, unique prefix or name) from its paged event log, a page
 * at a time with a turn of the event loop between pages: a 100 000-event export never holds the core
 * for more than one page's work. JSON is written as `JSON.stringify(…, null, 2)` would, an event at a time.
 */
export async function exportSession(
  core: Pick<CoreFacade, 'sessions' | 'approvals'>,
  idOrName: string,
  format: ExportFormat,
  redact: Redactor,
): Promise<Transcript> {
  const { session: raw } = core.sessions.get(idOrName);
  const session = redactDeep(raw, redact) as Session;
  const fileName = transcriptFileName(session, format);
  const contentType = CONTENT_TYPES[format];
  const json: string[] = [];
  const builder =
    format === 'json'
      ? null
      : createBlockBuilder(
          core.approvals.list().filter((a) => a.sessionId === raw.id),
          redact,
        );
  for (let after = 0, more = true; more; ) {
    const page = core.sessions.events(raw.id, after, PAGE);
    if (builder) builder.add(page.events);
    else for (const e of page.events) json.push(`\n    ${nested(JSON.stringify({ ...e, payload: redactDeep(e.payload, redact) }, null, 2), '    ')}`);
    more = page.more && page.nextAfter > after;
    after = page.nextAfter;
    if (more) await nextTurnOfTheLoop();
  }
  if (builder === null) {
    const head = `{\n  "format": "reins-transcript",\n  "version": 1,\n  "session": ${nested(JSON.stringify(session, null, 2), '  ')},\n  "events": [`;
    return { fileName, contentType, body: `${head}${json.join(',')}${json.length ? '\n  ' : ''}]\n}\n` };
  }
  return { fileName, contentType, body: format === 'md' ? renderMarkdown(session, builder.blocks) : renderHtml(session, builder.blocks) };
}
