/**
 * Session transcripts: a session's event log as Markdown, JSON or one self-contained HTML file,
 * secrets redacted exactly as in everything sent to Telegram.
 */
import type { CoreFacade } from '../../contract/core-facade.ts';
import type { Session } from '../../contract/domain.ts';
import type { SessionEvent } from '../../contract/events.ts';
import type { Redactor } from '../redaction/index.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { buildBlocks, redactDeep } from './model.ts';

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

/** Builds the transcript of a session (by id, unique prefix or name) from its paged event log. */
export function exportSession(core: Pick<CoreFacade, 'sessions' | 'approvals'>, idOrName: string, format: ExportFormat, redact: Redactor): Transcript {
  const { session: raw } = core.sessions.get(idOrName);
  const events: SessionEvent[] = [];
  for (let after = 0, more = true; more; ) {
    const page = core.sessions.events(raw.id, after, PAGE);
    events.push(...page.events);
    more = page.more && page.nextAfter > after;
    after = page.nextAfter;
  }
  const session = redactDeep(raw, redact) as Session;
  const fileName = transcriptFileName(session, format);
  const contentType = CONTENT_TYPES[format];
  if (format === 'json') {
    const redacted = events.map((e) => ({ ...e, payload: redactDeep(e.payload, redact) }));
    return { fileName, contentType, body: `${JSON.stringify({ format: 'reins-transcript', version: 1, session, events: redacted }, null, 2)}\n` };
  }
  const approvals = core.approvals.list().filter((a) => a.sessionId === raw.id);
  const blocks = buildBlocks(events, approvals, redact);
  return { fileName, contentType, body: format === 'md' ? renderMarkdown(session, blocks) : renderHtml(session, blocks) };
}
