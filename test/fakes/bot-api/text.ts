import type { MessageEntity } from 'grammy/types';
import { BotApiError, TELEGRAM_ERRORS, badRequest } from './errors.ts';
import { EntityParseError, parseTelegramHtml, type UserResolver } from './html-entities.ts';
import type { Params } from './params.ts';

/** Telegram's limits on message text and media captions, after entity parsing. */
export const TEXT_LIMITS = { text: 4096, caption: 1024 } as const;

/** What a message carries once its markup is parsed: plain text, entities, and the markup as sent. */
export interface FormattedText {
  readonly text: string;
  readonly entities: MessageEntity[];
  /** The HTML the bot sent, when parse_mode was HTML. */
  readonly html?: string;
}

/** Which field is being formatted: `text`/`parse_mode`/`entities` or `caption`/…/`caption_entities`. */
export type TextField = 'text' | 'caption';

const FIELDS = {
  text: { value: 'text', entities: 'entities', limit: TEXT_LIMITS.text, tooLong: TELEGRAM_ERRORS.messageTooLong },
  caption: {
    value: 'caption',
    entities: 'caption_entities',
    limit: TEXT_LIMITS.caption,
    tooLong: TELEGRAM_ERRORS.captionTooLong,
  },
} as const;

/**
 * Parses and checks a text or caption the way Telegram does before storing a message: parse_mode,
 * explicit entities, trimming of surrounding whitespace, empty text and the length limit.
 */
export function formatText(params: Params, field: TextField, resolveUser: UserResolver): FormattedText {
  const spec = FIELDS[field];
  const raw = params.optionalString(spec.value) ?? '';
  if (raw === '' && field === 'text') throw new BotApiError(400, TELEGRAM_ERRORS.textEmpty);
  if (!raw.isWellFormed()) throw badRequest('text must be encoded in UTF-8');
  const parseMode = params.optionalString('parse_mode') ?? '';
  const parsed = parse(raw, parseMode, params, spec.entities, resolveUser);
  const trimmed = trim(parsed);
  if (trimmed.text === '' && field === 'text') throw new BotApiError(400, TELEGRAM_ERRORS.textEmpty);
  // Telegram counts Unicode scalar values here, not UTF-16 units: a live probe accepted 4096
  // astral emoji (8192 UTF-16 units) and refused 4097. Entity offsets stay in UTF-16 units.
  if ([...trimmed.text].length > spec.limit) throw new BotApiError(400, spec.tooLong);
  return parseMode.toLowerCase() === 'html' ? { ...trimmed, html: raw } : trimmed;
}

function parse(raw: string, parseMode: string, params: Params, entitiesField: string, resolveUser: UserResolver): { text: string; entities: MessageEntity[] } {
  switch (parseMode.toLowerCase()) {
    case '':
      return { text: raw, entities: explicitEntities(params, entitiesField, raw.length) };
    case 'html':
      try {
        return parseTelegramHtml(raw, resolveUser);
      } catch (error) {
        if (error instanceof EntityParseError) throw new BotApiError(400, TELEGRAM_ERRORS.cantParseEntities + error.message);
        throw error;
      }
    case 'markdown':
    case 'markdownv2':
      // Telegram accepts these; this fake does not parse them, so it refuses loudly instead of
      // letting a test pass on markup that was never checked.
      throw badRequest(`parse_mode ${parseMode} is not implemented by the fake Bot API; Reins sends HTML`);
    default:
      throw badRequest('unsupported parse_mode');
  }
}

function explicitEntities(params: Params, field: string, textLength: number): MessageEntity[] {
  const list = params.optionalJson(field, "can't parse entities JSON object");
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw badRequest("can't parse entities JSON object");
  return list.flatMap((item: unknown): MessageEntity[] => {
    if (typeof item !== 'object' || item === null) throw badRequest("can't parse MessageEntity: object expected");
    const entity = item as MessageEntity;
    if (typeof entity.type !== 'string' || !Number.isInteger(entity.offset) || !Number.isInteger(entity.length)) {
      throw badRequest('can\'t parse MessageEntity: Field "type", "offset" and "length" are required');
    }
    // Telegram drops entities that fall outside the text instead of failing.
    const end = Math.min(entity.offset + entity.length, textLength);
    if (entity.offset < 0 || end <= entity.offset) return [];
    return [{ ...entity, length: end - entity.offset }];
  });
}

/** Telegram strips leading and trailing whitespace and shifts or clips entities to match. */
function trim(parsed: { text: string; entities: MessageEntity[] }): { text: string; entities: MessageEntity[] } {
  const lead = /^[ \t\r\n]*/.exec(parsed.text)?.[0].length ?? 0;
  const text = parsed.text.slice(lead).replace(/[ \t\r\n]+$/, '');
  const entities = parsed.entities.flatMap((entity): MessageEntity[] => {
    const start = Math.max(entity.offset - lead, 0);
    const end = Math.min(entity.offset + entity.length - lead, text.length);
    return end > start ? [{ ...entity, offset: start, length: end - start }] : [];
  });
  return { text, entities };
}
