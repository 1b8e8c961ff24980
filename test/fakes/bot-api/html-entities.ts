import type { MessageEntity, User } from 'grammy/types';

/**
 * Telegram's HTML parse_mode, rebuilt from TDLib's `parse_html` and the cases in its
 * `test/message_entities.cpp`: the same tags, the same entity decoding and the same error
 * messages (byte offsets are UTF-8 offsets into the markup; entity offsets are UTF-16 units).
 */

/** A markup error; `message` is the text Telegram appends to "Bad Request: can't parse entities: ". */
export class EntityParseError extends Error {
  override readonly name = 'EntityParseError';
}

/** Plain text plus entities, as Telegram stores a message after parsing its markup. */
export interface ParsedText {
  readonly text: string;
  readonly entities: MessageEntity[];
}

/** Resolves `tg://user?id=N` links to the user a text_mention points at (unknown users drop the link). */
export type UserResolver = (id: number) => User | undefined;

interface OpenTag {
  readonly tag: string;
  readonly start: number;
  readonly attributes: ReadonlyMap<string, string>;
  readonly beginByte: number;
}

/** An entity still carrying a code block's language until pre/code pairs are merged. */
type Draft = MessageEntity & { codeLanguage?: string };

const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'code',
  'pre',
  'blockquote',
  'tg-emoji',
  'tg-time',
]);

// Sort order of TDLib's MessageEntity::operator<: offset, longer first, then this type priority.
const PRIORITY: Record<string, number> = {
  blockquote: 0,
  expandable_blockquote: 0,
  pre: 11,
  code: 20,
  text_link: 49,
  text_mention: 49,
  bold: 90,
  italic: 91,
  underline: 92,
  strikethrough: 93,
  spoiler: 94,
  date_time: 95,
  custom_emoji: 99,
};

const SURROGATE_ERROR = 'Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units';

/** Parses Telegram HTML markup; throws {@link EntityParseError} exactly where Telegram answers 400. */
export function parseTelegramHtml(markup: string, resolveUser: UserResolver = () => undefined): ParsedText {
  return new HtmlParser(markup, resolveUser).parse();
}

class HtmlParser {
  private readonly s: string;
  private readonly resolveUser: UserResolver;
  private i = 0;
  private text = '';
  private readonly stack: OpenTag[] = [];
  private readonly drafts: Draft[] = [];

  constructor(markup: string, resolveUser: UserResolver) {
    this.s = markup;
    this.resolveUser = resolveUser;
  }

  parse(): ParsedText {
    const { s } = this;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '&') {
        const decoded = decodeEntity(s, this.i);
        if (decoded !== undefined) {
          this.text += decoded.text;
          this.i = decoded.end;
          continue;
        }
      }
      if (c !== '<') {
        this.text += c;
        this.i++;
        continue;
      }
      if (s[this.i + 1] === '/') this.endTag();
      else this.startTag();
    }
    const open = this.stack.at(-1);
    if (open !== undefined) throw new EntityParseError(`Can't find end tag corresponding to start tag "${open.tag}"`);
    return { text: this.text, entities: finish(this.drafts) };
  }

  private startTag(): void {
    const { s } = this;
    const begin = this.i++;
    const beginByte = byteOffset(s, begin);
    while (this.i < s.length && !isSpace(s[this.i]) && s[this.i] !== '>') this.i++;
    if (this.i >= s.length) throw new EntityParseError(`Unclosed start tag at byte offset ${beginByte}`);
    const tag = s.slice(begin + 1, this.i).toLowerCase();
    if (!SUPPORTED_TAGS.has(tag)) {
      throw new EntityParseError(`Unsupported start tag "${tag}" at byte offset ${beginByte}`);
    }
    const attributes = this.attributes(tag, beginByte);
    this.i++; // past '>'
    this.checkAttributes(tag, attributes, beginByte);
    this.stack.push({ tag, start: this.text.length, attributes, beginByte });
  }

  private attributes(tag: string, beginByte: number): Map<string, string> {
    const { s } = this;
    const found = new Map<string, string>();
    const unclosed = (): EntityParseError => new EntityParseError(`Unclosed start tag "${tag}" at byte offset ${beginByte}`);
    for (;;) {
      while (this.i < s.length && isSpace(s[this.i])) this.i++;
      if (this.i >= s.length) throw unclosed();
      if (s[this.i] === '>') return found;
      const nameStart = this.i;
      while (this.i < s.length && !isSpace(s[this.i]) && s[this.i] !== '=' && s[this.i] !== '>') this.i++;
      const name = s.slice(nameStart, this.i).toLowerCase();
      if (name === '') throw new EntityParseError(`Empty attribute name in the tag "${tag}" at byte offset ${beginByte}`);
      while (this.i < s.length && isSpace(s[this.i])) this.i++;
      if (s[this.i] !== '=') {
        found.set(name, '');
        continue;
      }
      this.i++;
      while (this.i < s.length && isSpace(s[this.i])) this.i++;
      if (this.i >= s.length) throw unclosed();
      found.set(name, this.attributeValue(beginByte));
    }
  }

  private attributeValue(beginByte: number): string {
    const { s } = this;
    const quote = s[this.i];
    if (quote !== '"' && quote !== "'") {
      // An unquoted value is an HTML name token: letters, digits, periods and hyphens, case-insensitive.
      const tokenStart = this.i;
      while (this.i < s.length && /[A-Za-z0-9.-]/.test(s[this.i] ?? '')) this.i++;
      if (this.i < s.length && !isSpace(s[this.i]) && s[this.i] !== '>') {
        throw new EntityParseError(`Unexpected end of name token at byte offset ${byteOffset(s, tokenStart)}`);
      }
      return s.slice(tokenStart, this.i).toLowerCase();
    }
    this.i++;
    let value = '';
    while (this.i < s.length && s[this.i] !== quote) {
      const decoded = s[this.i] === '&' ? decodeEntity(s, this.i) : undefined;
      if (decoded !== undefined) {
        value += decoded.text;
        this.i = decoded.end;
      } else {
        value += s[this.i];
        this.i++;
      }
    }
    if (this.i >= s.length) throw new EntityParseError(`Unclosed start tag at byte offset ${beginByte}`);
    this.i++;
    return value;
  }

  private checkAttributes(tag: string, attributes: Map<string, string>, beginByte: number): void {
    if (tag === 'span' && attributes.get('class') !== 'tg-spoiler') {
      throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${beginByte}`);
    }
    if (tag === 'tg-emoji' && !/^[1-9]\d{0,18}$/.test(attributes.get('emoji-id') ?? '')) {
      throw new EntityParseError('Invalid custom emoji identifier specified');
    }
    if (tag === 'tg-time') {
      if (!/^-?\d{1,12}$/.test(attributes.get('unix') ?? '')) throw new EntityParseError('Invalid Unix time specified');
      const format = attributes.get('format') ?? '';
      if (format !== 'r' && !/^[tTdDwW]*$/.test(format)) throw new EntityParseError('Invalid date format used');
    }
  }

  private endTag(): void {
    const { s } = this;
    const begin = this.i;
    const beginByte = byteOffset(s, begin);
    const open = this.stack.at(-1);
    if (open === undefined) throw new EntityParseError(`Unexpected end tag at byte offset ${beginByte}`);
    this.i += 2;
    const nameStart = this.i;
    while (this.i < s.length && !isSpace(s[this.i]) && s[this.i] !== '>') this.i++;
    const name = s.slice(nameStart, this.i).toLowerCase();
    while (this.i < s.length && isSpace(s[this.i])) this.i++;
    if (s[this.i] !== '>') throw new EntityParseError(`Unclosed end tag at byte offset ${beginByte}`);
    // "</>" closes whatever is open, as in TDLib.
    if (name !== '' && name !== open.tag) {
      throw new EntityParseError(`Unmatched end tag at byte offset ${beginByte}, expected "</${open.tag}>", found "</${name}>"`);
    }
    this.i++;
    this.stack.pop();
    const length = this.text.length - open.start;
    if (length > 0) {
      const entity = this.entityFor(open, length);
      if (entity !== undefined) this.drafts.push(entity);
    }
  }

  private entityFor(open: OpenTag, length: number): Draft | undefined {
    const offset = open.start;
    const attr = (name: string): string | undefined => open.attributes.get(name);
    switch (open.tag) {
      case 'b':
      case 'strong':
        return { type: 'bold', offset, length };
      case 'i':
      case 'em':
        return { type: 'italic', offset, length };
      case 'u':
      case 'ins':
        return { type: 'underline', offset, length };
      case 's':
      case 'strike':
      case 'del':
        return { type: 'strikethrough', offset, length };
      case 'span':
      case 'tg-spoiler':
        return { type: 'spoiler', offset, length };
      case 'pre':
        return { type: 'pre', offset, length };
      case 'blockquote':
        return { type: attr('expandable') === undefined ? 'blockquote' : 'expandable_blockquote', offset, length };
      case 'tg-emoji':
        return { type: 'custom_emoji', offset, length, custom_emoji_id: attr('emoji-id') ?? '' };
      case 'tg-time':
        return dateTime(offset, length, attr('unix') ?? '0', attr('format') ?? '');
      case 'code': {
        const language = /^language-(.+)$/.exec(attr('class') ?? '')?.[1];
        return language === undefined ? { type: 'code', offset, length } : { type: 'code', offset, length, codeLanguage: language };
      }
      case 'a':
        return this.link(attr('href') ?? '', offset, length);
      default:
        return undefined;
    }
  }

  private link(href: string, offset: number, length: number): Draft | undefined {
    // Without href Telegram links the text itself, if the text is a URL.
    const target = href === '' ? this.text.slice(offset, offset + length) : href;
    const userId = /^tg:\/\/user\?id=(\d{1,15})$/i.exec(target)?.[1];
    if (userId !== undefined) {
      const user = this.resolveUser(Number(userId));
      return user === undefined ? undefined : { type: 'text_mention', offset, length, user };
    }
    const url = checkUrl(target);
    return url === undefined ? undefined : { type: 'text_link', offset, length, url };
  }
}

function dateTime(offset: number, length: number, unix: string, format: string): Draft {
  // TDLib accepts any mix of t/T/d/D/w/W; the Bot API type narrows it, so the cast only widens.
  return { type: 'date_time', offset, length, unix_time: Number(unix), date_time_format: format as 'r' };
}

/** Merges `<pre><code class="language-x">` spanning the same text into one `pre` with a language. */
function finish(drafts: Draft[]): MessageEntity[] {
  const merged = new Set<Draft>();
  const out: MessageEntity[] = [];
  for (const code of drafts) {
    if (code.type !== 'code' || code.codeLanguage === undefined) continue;
    const pre = drafts.find((d) => d.type === 'pre' && d.offset === code.offset && d.length === code.length);
    if (pre !== undefined) {
      merged.add(code);
      merged.add(pre);
      out.push({ type: 'pre', offset: pre.offset, length: pre.length, language: code.codeLanguage });
    }
  }
  for (const draft of drafts) {
    if (merged.has(draft)) continue;
    const { codeLanguage: _language, ...entity } = draft;
    out.push(entity as MessageEntity);
  }
  return out.sort((a, b) => a.offset - b.offset || b.length - a.length || (PRIORITY[a.type] ?? 50) - (PRIORITY[b.type] ?? 50));
}

/** Only &lt; &gt; &amp; &quot; and numeric references are decoded; anything else stays literal text. */
function decodeEntity(s: string, pos: number): { text: string; end: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (s[pos + 1] === '#') {
    end++;
    const hex = s[pos + 2] === 'x';
    if (hex) end++;
    const digit = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    while (end < s.length && digit.test(s[end] ?? '')) {
      code = code * (hex ? 16 : 10) + Number.parseInt(s[end] ?? '0', 16);
      end++;
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
    if (code >= 0xd800 && code <= 0xdfff) throw new EntityParseError(SURROGATE_ERROR);
  } else {
    while (end < s.length && /[A-Za-z]/.test(s[end] ?? '')) end++;
    const named = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 }[s.slice(pos + 1, end)];
    if (named === undefined) return undefined;
    code = named;
  }
  if (s[end] === ';') end++;
  return { text: String.fromCodePoint(code), end };
}

/** A link target Telegram accepts, normalised the way it reports it (`telegram.org` → `http://telegram.org/`). */
function checkUrl(raw: string): string | undefined {
  if (raw === '' || /\s/.test(raw)) return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol === 'tg:' || url.protocol === 'ton:') return url.href;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.hostname.includes('.') || url.hostname === 'localhost' ? url.href : undefined;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\0';
}

function byteOffset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index), 'utf8');
}
