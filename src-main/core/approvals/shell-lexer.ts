/**
 * The word level of the shell parser: quoting, escapes, `$…` expansions, backquotes,
 * redirections and here-documents. The grammar (lists, pipelines, commands) is the subclass in
 * shell-parse.ts.
 */
import type { CommandOrigin, RedirectOp, ShellRedirect, ShellWord, SimpleCommand } from './shell-types.ts';

/** State shared by a parser and every nested parser it starts. */
export interface Shared {
  out: SimpleCommand[];
  reasons: string[];
  nextId: number;
  subparses: number;
  /** Characters of all nested command strings parsed so far (bounded, see shell-parse.ts). */
  subparseChars: number;
  arithmetic: boolean;
  literalSubstitution: boolean;
  /** Names of the shell functions the line defines. */
  functions: string[];
}

/** Where the commands being parsed sit. */
export interface Ctx {
  origin: CommandOrigin;
  parent: number | null;
  pipedInput: boolean;
}

interface WordBuilder {
  text: string;
  dynamic: boolean;
  glob: boolean;
  tilde: boolean;
  quoted: boolean;
}

/** A word plus its source text (reserved words and assignments must be unquoted). */
export interface RawWord extends ShellWord {
  raw: string;
}

interface PendingHeredoc {
  redirect: ShellRedirect;
  stripTabs: boolean;
  quoted: boolean;
  owner: number;
}

const REDIRECT = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(&>>|&>|>>|>\||>&|<<<|<<-|<<|<>|<&|>|<)/;

const ANSI_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** A word that was not quoted and expands to itself. */
export function literalWord(text: string): RawWord {
  return { text, raw: text, dynamic: false, glob: false, tilde: false, quoted: false };
}

/** The public view of a word (without its source text). */
export function publicWord(w: RawWord): ShellWord {
  return { text: w.text, dynamic: w.dynamic, glob: w.glob, tilde: w.tilde, quoted: w.quoted };
}

function newBuilder(): WordBuilder {
  return { text: '', dynamic: false, glob: false, tilde: false, quoted: false };
}

function endsWithOddBackslashes(line: string): boolean {
  const m = /\\+$/.exec(line);
  return m !== null && m[0].length % 2 === 1;
}

/** Reads words and expansions; subclasses supply the grammar and nested parsing. */
export abstract class ShellLexer {
  readonly src: string;
  pos = 0;
  readonly shared: Shared;
  readonly depth: number;
  pending: PendingHeredoc[] = [];

  constructor(src: string, shared: Shared, depth: number) {
    this.src = src;
    this.shared = shared;
    this.depth = depth;
  }

  /** Parses a whole command string (top level or nested). */
  abstract parseAll(ctx: Ctx): void;

  /** A parser for a nested command string, or null (and opaque) when the limits are reached. */
  abstract child(text: string): ShellLexer | null;

  /**
   * `$( … )`, `<( … )`, `>( … )`: parses up to the matching `)` in the same source. `pipedInput`
   * is true for `>( … )`, whose commands read what the outer command writes.
   */
  abstract parseNested(owner: number, origin: CommandOrigin, pipedInput?: boolean): void;

  opaque(reason: string): void {
    if (!this.shared.reasons.includes(reason)) this.shared.reasons.push(reason);
  }

  peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  startsWith(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  /** Skips spaces, tabs and backslash-newline line continuations. */
  skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t') this.pos++;
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  skipComment(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
  }

  /** Consumes a newline token; here-document bodies start right after it. */
  newline(): void {
    this.pos++;
    if (this.pending.length > 0) this.readHeredocs();
  }

  isWordEnd(offset: number): boolean {
    const c = this.peek(offset);
    return c === undefined || /[ \t\n;&|<>()]/.test(c);
  }

  isBlankOrEnd(offset: number): boolean {
    const c = this.peek(offset);
    return c === undefined || c === ' ' || c === '\t' || c === '\n';
  }

  tooDeep(): void {
    this.opaque('the command is nested too deeply');
    this.pos = this.src.length;
  }

  /** Index of the `))` closing an arithmetic expression that starts at `from`, or null. */
  findArithmeticEnd(from: number): number | null {
    let depth = 0;
    for (let j = from; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth > 0) depth--;
        else return this.src[j + 1] === ')' ? j : null;
      }
    }
    return null;
  }

  noteArithmetic(content: string): void {
    this.shared.arithmetic = true;
    if (/\$\(|`|[<>]\(/.test(content)) this.opaque('command substitution inside arithmetic');
  }

  parseRedirect(owner: number): ShellRedirect | null {
    const m = REDIRECT.exec(this.src.slice(this.pos, this.pos + 64));
    if (m === null) return null;
    const fdText = m[1];
    const op = m[2] as RedirectOp;
    if ((op === '<' || op === '>') && this.src[this.pos + m[0].length] === '(') return null;
    if (fdText !== undefined && (op === '&>' || op === '&>>')) return null;
    this.pos += m[0].length;
    this.skipBlanks();
    const target = this.parseWord(owner);
    const fd = fdText !== undefined && /^\d+$/.test(fdText) ? Number(fdText) : null;
    if (target === null) {
      this.opaque(`redirection "${op}" has no target`);
      return { op, fd, target: literalWord(''), body: null };
    }
    const redirect: ShellRedirect = { op, fd, target: publicWord(target), body: null };
    if (op === '<<' || op === '<<-') {
      this.pending.push({ redirect, stripTabs: op === '<<-', quoted: target.quoted, owner });
    }
    return redirect;
  }

  readHeredocs(): void {
    const pending = this.pending;
    this.pending = [];
    for (const h of pending) {
      const delimiter = h.redirect.target.text;
      let body = '';
      let found = false;
      while (this.pos < this.src.length) {
        let line = this.readLine();
        // In an unquoted here-document bash joins backslash-newline BEFORE comparing with the
        // delimiter, so `EO\` + `F` ends it: the same must happen here or lines would be hidden.
        while (!h.quoted && endsWithOddBackslashes(line) && this.pos < this.src.length) {
          line = line.slice(0, -1) + this.readLine();
        }
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === delimiter) {
          found = true;
          break;
        }
        body += `${line}\n`;
      }
      if (!found) this.opaque('a here-document is not terminated');
      h.redirect.body = body;
      if (h.quoted) this.noteLiteral(body);
      else this.scanExpansions(body, h.owner);
    }
  }

  readLine(): string {
    const nl = this.src.indexOf('\n', this.pos);
    const end = nl === -1 ? this.src.length : nl;
    const line = this.src.slice(this.pos, end);
    this.pos = nl === -1 ? end : end + 1;
    return line;
  }

  /** Finds command substitutions in text that bash expands like a double-quoted string. */
  scanExpansions(text: string, owner: number): void {
    const sub = this.child(text);
    if (sub === null) return;
    const b = newBuilder();
    while (sub.pos < sub.src.length) {
      const c = sub.src[sub.pos];
      if (c === '\\') sub.pos += 2;
      else if (c === '$') sub.readDollar(owner, b, true);
      else if (c === '`') sub.readBacktick(owner, b);
      else sub.pos++;
    }
  }

  /** Parses `text` as a script whose commands run inside command `parent`. */
  parseString(text: string, origin: CommandOrigin, parent: number): void {
    const sub = this.child(text);
    if (sub === null) return;
    sub.parseAll({ origin, parent, pipedInput: false });
  }

  parseWord(owner: number): RawWord | null {
    const start = this.pos;
    const b = newBuilder();
    for (;;) {
      const c = this.peek();
      if (c === undefined) break;
      if ((c === '<' || c === '>') && this.peek(1) === '(') {
        this.pos += 2;
        this.parseNested(owner, 'process-substitution', c === '>');
        b.dynamic = true;
        b.text += this.src.slice(start, this.pos);
        continue;
      }
      // Bash's metacharacters: only space, tab and newline separate words (not \r, not NBSP).
      if (/[ \t\n;&|<>()]/.test(c)) break;
      if (c === '\\') {
        const next = this.peek(1);
        if (next === '\n') this.pos += 2;
        else if (next === undefined) {
          b.text += '\\';
          this.pos++;
        } else {
          if (next === '$' || next === '`') this.shared.literalSubstitution = true;
          b.text += next;
          b.quoted = true;
          this.pos += 2;
        }
        continue;
      }
      if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end === -1) {
          this.opaque('unterminated single quote');
          b.text += this.src.slice(this.pos + 1);
          this.pos = this.src.length;
          break;
        }
        const literal = this.src.slice(this.pos + 1, end);
        this.noteLiteral(literal);
        b.text += literal;
        b.quoted = true;
        this.pos = end + 1;
        continue;
      }
      if (c === '"') {
        this.pos++;
        this.readDoubleQuoted(owner, b);
        continue;
      }
      if (c === '$') {
        this.readDollar(owner, b, false);
        continue;
      }
      if (c === '`') {
        this.readBacktick(owner, b);
        continue;
      }
      if (c === '~' && this.pos === start) b.tilde = true;
      if (c === '*' || c === '?') b.glob = true;
      // `[` only starts a pattern when a `]` closes it in the same word (`[`, `[[` are commands).
      if (c === '[' && /^\[[^ \t\n;&|<>()]*\]/.test(this.src.slice(this.pos, this.pos + 256))) b.glob = true;
      if (c === '{' && /^\{[^}\s]*(,|\.\.)[^}\s]*\}/.test(this.src.slice(this.pos, this.pos + 256))) b.glob = true;
      b.text += c;
      this.pos++;
    }
    if (this.pos === start) return null;
    return { ...b, raw: this.src.slice(start, this.pos) };
  }

  noteLiteral(text: string): void {
    if (text.includes('$(') || text.includes('`') || text.includes('${')) this.shared.literalSubstitution = true;
  }

  readDoubleQuoted(owner: number, b: WordBuilder): void {
    b.quoted = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        this.opaque('unterminated double quote');
        return;
      }
      if (c === '"') {
        this.pos++;
        return;
      }
      if (c === '\\') {
        const next = this.peek(1);
        if (next === '\n') this.pos += 2;
        else if (next === '$' || next === '`' || next === '"' || next === '\\') {
          if (next === '$' || next === '`') this.shared.literalSubstitution = true;
          b.text += next;
          this.pos += 2;
        } else {
          b.text += '\\';
          this.pos++;
        }
        continue;
      }
      if (c === '$') {
        this.readDollar(owner, b, true);
        continue;
      }
      if (c === '`') {
        this.readBacktick(owner, b);
        continue;
      }
      b.text += c;
      this.pos++;
    }
  }

  readDollar(owner: number, b: WordBuilder, inDouble: boolean): void {
    const start = this.pos;
    const next = this.peek(1);
    if (next === '(') {
      if (this.peek(2) === '(') {
        const end = this.findArithmeticEnd(this.pos + 3);
        if (end !== null) {
          this.noteArithmetic(this.src.slice(this.pos + 3, end));
          this.pos = end + 2;
          b.dynamic = true;
          b.text += this.src.slice(start, this.pos);
          return;
        }
      }
      this.pos += 2;
      this.parseNested(owner, 'substitution');
      b.dynamic = true;
      b.text += this.src.slice(start, this.pos);
      return;
    }
    if (next === '{') {
      const end = this.findBraceEnd(this.pos + 2);
      if (end === null) {
        this.opaque('unterminated ${…}');
        b.text += this.src.slice(start);
        this.pos = this.src.length;
        return;
      }
      const content = this.src.slice(this.pos + 2, end);
      if (/\$\(|`|[<>]\(/.test(content)) this.opaque('command substitution inside ${…}');
      // Quoting rules inside ${…} differ between contexts and bash versions: do not guess.
      if (/['"]/.test(content)) this.opaque('quotes inside ${…}');
      this.pos = end + 1;
      b.dynamic = true;
      b.text += this.src.slice(start, this.pos);
      return;
    }
    if (next === "'" && !inDouble) {
      this.pos += 2;
      const decoded = this.readAnsiC();
      this.noteLiteral(decoded);
      b.text += decoded;
      b.quoted = true;
      return;
    }
    if (next === '"' && !inDouble) {
      this.pos += 2;
      this.readDoubleQuoted(owner, b);
      return;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(this.src.slice(this.pos + 1, this.pos + 257));
    if (name !== null) {
      this.pos += 1 + name[0].length;
      b.dynamic = true;
      b.text += `$${name[0]}`;
      return;
    }
    b.text += '$';
    this.pos++;
  }

  findBraceEnd(from: number): number | null {
    let depth = 0;
    for (let j = from; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === '\\') j++;
      else if (c === "'" || c === '"') {
        const end = this.src.indexOf(c, j + 1);
        if (end === -1) return null;
        j = end;
      } else if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) return j;
        depth--;
      }
    }
    return null;
  }

  /** `$'…'` with C escapes, so `$'\x72m'` is seen as `rm`. */
  readAnsiC(): string {
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        this.opaque("unterminated $'…' string");
        return out;
      }
      this.pos++;
      if (c === "'") return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.peek() ?? '';
      this.pos++;
      const simple = ANSI_ESCAPES[e];
      if (simple !== undefined) out += simple;
      else if (e === 'x') out += this.readCode(/^[0-9a-fA-F]{1,2}/, 16);
      else if (e === 'u') out += this.readCode(/^[0-9a-fA-F]{1,4}/, 16);
      else if (e === 'U') out += this.readCode(/^[0-9a-fA-F]{1,8}/, 16);
      else if (/[0-7]/.test(e)) {
        this.pos--;
        out += this.readCode(/^[0-7]{1,3}/, 8);
      } else if (e === 'c') {
        const ch = this.peek() ?? '';
        this.pos++;
        out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) & 0x1f);
      } else out += `\\${e}`;
    }
  }

  readCode(re: RegExp, radix: number): string {
    const m = re.exec(this.src.slice(this.pos, this.pos + 8));
    if (m === null) return '';
    this.pos += m[0].length;
    const code = parseInt(m[0], radix);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  }

  readBacktick(owner: number, b: WordBuilder): void {
    const start = this.pos;
    this.pos++;
    let content = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        this.opaque('unterminated backquote');
        break;
      }
      this.pos++;
      if (c === '`') break;
      if (c === '\\' && (this.peek() === '`' || this.peek() === '\\' || this.peek() === '$')) {
        content += this.peek();
        this.pos++;
      } else content += c;
    }
    b.dynamic = true;
    b.text += this.src.slice(start, this.pos);
    this.parseString(content, 'substitution', owner);
  }
}
