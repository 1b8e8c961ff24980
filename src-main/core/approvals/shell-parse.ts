/**
 * Conservative static parser for a bash command line: splits it into the simple commands that
 * would run, with their words, assignments, wrappers and redirections.
 *
 * The invariant that matters for security: anything this parser cannot model exactly is either
 * over-approximated (extra commands are reported, never fewer) or marks the result `opaque`.
 * Every place bash would execute text — command and process substitutions (also inside double
 * quotes and unquoted here-documents), `bash -c` / `eval` / `su -c` / `trap` strings, `find -exec`,
 * here-documents fed to a shell — is parsed and its commands reported.
 */
import { unwrapCommand } from './shell-unwrap.ts';
import { commandBaseName } from './shell-words.ts';

/** One shell word after quote removal. */
export interface ShellWord {
  /** The value after quote removal; expansions are kept as written (`$HOME/x`, `$(…)`). */
  text: string;
  /** Contains a parameter, command, process or arithmetic expansion: the value is only known at run time. */
  dynamic: boolean;
  /** Contains unquoted glob or brace-expansion syntax (`*`, `?`, `[…]`, `{a,b}`). */
  glob: boolean;
  /** Starts with an unquoted `~` (tilde expansion to a home directory). */
  tilde: boolean;
  /** Some part of the word was quoted or escaped. */
  quoted: boolean;
}

/** Redirection operators as written. `>&`/`<&` with a number or `-` duplicate or close a descriptor. */
export type RedirectOp = '>' | '>>' | '>|' | '&>' | '&>>' | '>&' | '<' | '<>' | '<&' | '<<' | '<<-' | '<<<';

export interface ShellRedirect {
  op: RedirectOp;
  /** Explicit descriptor number (`2>`), or null. */
  fd: number | null;
  /** The file, descriptor, here-string, or here-document delimiter. */
  target: ShellWord;
  /** Here-document body (`<<`, `<<-`); null for other operators. */
  body: string | null;
}

/** Where a command came from inside the line. */
export type CommandOrigin =
  | 'line'
  | 'subshell'
  | 'group'
  | 'substitution'
  | 'process-substitution'
  | 'shell-string'
  | 'heredoc'
  | 'find-exec';

export interface SimpleCommand {
  /** Unique within one parse. */
  id: number;
  /** The command this one runs inside (substitution, `bash -c`, `find -exec`, here-document), or null. */
  parent: number | null;
  origin: CommandOrigin;
  /** Standard input comes from a pipe (`a | b`: true for `b`, and for everything inside a piped group). */
  pipedInput: boolean;
  /** Every word as written after quote removal, including assignments and wrappers. */
  words: string[];
  /** `NAME=value` words before the command, plus those given to `env`. */
  assignments: string[];
  /** Wrapper programs peeled off (`sudo`, `env`, `nice`, `xargs`, …), outermost first. */
  wrappers: string[];
  /** The effective command: program first. Empty for a bare assignment or redirection. */
  argv: ShellWord[];
  redirects: ShellRedirect[];
  /** `xargs`: more arguments are appended at run time from standard input. */
  argsFromInput: boolean;
}

/** Result of {@link parseShell}. */
export interface ParsedShell {
  commands: SimpleCommand[];
  /** True when some part cannot be analysed statically; `reasons` says what. */
  opaque: boolean;
  reasons: string[];
}

/** Nesting limit for substitutions and command strings. */
const MAX_DEPTH = 12;
/** Limit on how many command strings (`bash -c`, `eval`, here-documents) are parsed per line. */
const MAX_SUBPARSES = 200;

const RESERVED_PREFIXES = new Set(['!', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'time', '}']);
const SHELL_NAMES = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'rbash', 'fish', 'tcsh', 'csh']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const REDIRECT = /^(\d+|\{[A-Za-z_][A-Za-z0-9_]*\})?(&>>|&>|>>|>\||>&|<<<|<<-|<<|<>|<&|>|<)/;

interface Shared {
  out: SimpleCommand[];
  reasons: string[];
  nextId: number;
  subparses: number;
  arithmetic: boolean;
  literalSubstitution: boolean;
}

interface Ctx {
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
  raw: string;
}

interface RawWord extends ShellWord {
  /** Source text, used to recognise reserved words and assignments (which must be unquoted). */
  raw: string;
}

interface PendingHeredoc {
  redirect: ShellRedirect;
  stripTabs: boolean;
  quoted: boolean;
  owner: number;
}

function literalWord(text: string): RawWord {
  return { text, raw: text, dynamic: false, glob: false, tilde: false, quoted: false };
}

function publicWord(w: RawWord): ShellWord {
  return { text: w.text, dynamic: w.dynamic, glob: w.glob, tilde: w.tilde, quoted: w.quoted };
}

const ANSI_ESCAPES: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

class Parser {
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

  /** Runs the whole input (or a nested command string). */
  parseAll(ctx: Ctx): void {
    this.parseList(ctx, null);
    if (this.pending.length > 0) {
      this.opaque('a here-document is not terminated');
      for (const h of this.pending) h.redirect.body = '';
      this.pending = [];
    }
  }

  /**
   * A list of pipelines separated by `;`, `&`, `&&`, `||`, newlines. Returns at EOF, or after
   * consuming the terminator (`)` for subshells and substitutions, `}` for brace groups).
   */
  parseList(ctx: Ctx, term: ')' | '}' | null): void {
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined) {
        if (term !== null) this.opaque(`missing closing "${term}"`);
        return;
      }
      if (c === '#') this.skipComment();
      else if (c === '\n') this.newline();
      else if (c === ')') {
        this.pos++;
        if (term === ')') return;
        this.opaque('unbalanced ")"');
      } else if (c === ';') {
        if (this.peek(1) === ';' || this.peek(1) === '&') this.opaque('case statements are not supported');
        this.pos++;
      } else if (c === '&' && this.peek(1) !== '>') {
        this.pos += this.peek(1) === '&' ? 2 : 1;
      } else if (c === '|') {
        this.pos += this.peek(1) === '|' ? 2 : 1;
      } else if (term === '}' && c === '}' && this.isWordEnd(1)) {
        this.pos++;
        return;
      } else {
        this.parsePipeline(ctx);
      }
    }
  }

  isWordEnd(offset: number): boolean {
    const c = this.peek(offset);
    return c === undefined || /[ \t\n;&|<>()]/.test(c);
  }

  parsePipeline(ctx: Ctx): void {
    let piped = ctx.pipedInput;
    for (;;) {
      const before = this.pos;
      this.parseCommand({ ...ctx, pipedInput: piped });
      this.skipBlanks();
      if (this.peek() === '|' && this.peek(1) !== '|') {
        this.pos += this.peek(1) === '&' ? 2 : 1;
        this.skipNewlinesAndComments();
        piped = true;
        continue;
      }
      if (this.pos === before) {
        // Guarantees progress on input no rule above consumed.
        this.opaque(`unexpected "${this.peek() ?? ''}"`);
        this.pos++;
      }
      return;
    }
  }

  skipNewlinesAndComments(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '\n') this.newline();
      else if (c === '#') this.skipComment();
      else return;
    }
  }

  parseCommand(ctx: Ctx): void {
    this.skipBlanks();
    if (this.startsWith('((') && this.parseArithmeticCommand(ctx)) return;
    if (this.peek() === '(') {
      this.pos++;
      this.parseGroup(ctx, ')', 'subshell');
      return;
    }
    if (this.peek() === '{' && this.isBlankOrEnd(1)) {
      this.pos++;
      this.parseGroup(ctx, '}', 'group');
      return;
    }
    const id = this.shared.nextId++;
    const words: RawWord[] = [];
    const redirects: ShellRedirect[] = [];
    let inConditional = false;
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined) break;
      if (c === '#') {
        this.skipComment();
        break;
      }
      if (inConditional) {
        const op = /^(&&|\|\||<|>|\(|\))/.exec(this.src.slice(this.pos, this.pos + 2));
        if (op !== null && op[1] !== undefined) {
          words.push(literalWord(op[1]));
          this.pos += op[1].length;
          continue;
        }
      }
      if (c === '\n' || c === ';' || c === '|' || c === ')') break;
      if (c === '&' && this.peek(1) !== '>') break;
      if (c === '(') {
        if (this.isFunctionDefinition(words, redirects)) {
          this.parseFunctionBody(ctx);
          return;
        }
        this.opaque('unexpected "(" inside a command');
        this.pos++;
        this.parseGroup({ ...ctx, parent: id }, ')', 'subshell');
        continue;
      }
      if (words.length === 2 && words[0]?.raw === 'function' && c === '{' && this.isBlankOrEnd(1)) {
        this.pos++;
        this.parseGroup(ctx, '}', 'group');
        return;
      }
      const redirect = this.parseRedirect(id);
      if (redirect !== null) {
        redirects.push(redirect);
        continue;
      }
      const word = this.parseWord(id);
      if (word === null) {
        this.opaque(`unexpected "${c}"`);
        this.pos++;
        continue;
      }
      if (word.raw === '[[' && words.every((w) => RESERVED_PREFIXES.has(w.raw))) {
        inConditional = true;
        this.shared.arithmetic = true;
      } else if (inConditional && word.raw === ']]') {
        inConditional = false;
      }
      words.push(word);
    }
    this.emit(id, words, redirects, ctx);
  }

  isBlankOrEnd(offset: number): boolean {
    const c = this.peek(offset);
    return c === undefined || c === ' ' || c === '\t' || c === '\n';
  }

  isFunctionDefinition(words: RawWord[], redirects: ShellRedirect[]): boolean {
    const named = words.length === 1 || (words.length === 2 && words[0]?.raw === 'function');
    return named && redirects.length === 0 && /^\(\s*\)/.test(this.src.slice(this.pos));
  }

  /** After `name()`: the body is analysed like any other command (it may be called later). */
  parseFunctionBody(ctx: Ctx): void {
    this.pos = this.src.indexOf(')', this.pos) + 1;
    this.skipNewlinesAndComments();
    this.parseCommand(ctx);
  }

  /** `( … )` or `{ …; }` followed by optional redirections that apply to every command inside. */
  parseGroup(ctx: Ctx, term: ')' | '}', origin: CommandOrigin): void {
    if (this.depth + 1 > MAX_DEPTH) {
      this.tooDeep();
      return;
    }
    const firstId = this.shared.nextId;
    const inner = new Parser(this.src, this.shared, this.depth + 1);
    inner.pos = this.pos;
    inner.pending = this.pending;
    inner.parseList({ origin, parent: ctx.parent, pipedInput: ctx.pipedInput }, term);
    this.pos = inner.pos;
    this.pending = inner.pending;
    const redirects: ShellRedirect[] = [];
    for (;;) {
      this.skipBlanks();
      const redirect = this.parseRedirect(ctx.parent ?? firstId);
      if (redirect === null) break;
      redirects.push(redirect);
    }
    if (redirects.length > 0) {
      for (const cmd of this.shared.out) if (cmd.id >= firstId) cmd.redirects.push(...redirects);
    }
  }

  tooDeep(): void {
    this.opaque('the command is nested too deeply');
    this.pos = this.src.length;
  }

  /**
   * `(( … ))`: an arithmetic command. Bash treats `((a) )` as nested subshells instead, so this
   * only succeeds when the closing `))` is found at depth zero.
   */
  parseArithmeticCommand(ctx: Ctx): boolean {
    const end = this.findArithmeticEnd(this.pos + 2);
    if (end === null) return false;
    const content = this.src.slice(this.pos + 2, end);
    this.pos = end + 2;
    this.noteArithmetic(content);
    const id = this.shared.nextId++;
    const redirects: ShellRedirect[] = [];
    for (;;) {
      this.skipBlanks();
      const redirect = this.parseRedirect(id);
      if (redirect === null) break;
      redirects.push(redirect);
    }
    this.emit(id, [literalWord('(('), literalWord(content), literalWord('))')], redirects, ctx);
    return true;
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

  /** A parser for a nested command string, or null (and opaque) when the limits are reached. */
  child(text: string): Parser | null {
    this.shared.subparses++;
    if (this.depth + 1 > MAX_DEPTH || this.shared.subparses > MAX_SUBPARSES) {
      this.opaque('the command is nested too deeply');
      return null;
    }
    return new Parser(text, this.shared, this.depth + 1);
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
        this.parseNested(owner, 'process-substitution');
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
      if (c === '*' || c === '?' || c === '[') b.glob = true;
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
    const name = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9@*#?$!-]/.exec(this.src.slice(this.pos + 1));
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
    const m = re.exec(this.src.slice(this.pos));
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

  /** `$( … )`, `<( … )`, `>( … )`: parses up to the matching `)` in the same source. */
  parseNested(owner: number, origin: CommandOrigin): void {
    if (this.depth + 1 > MAX_DEPTH) {
      this.tooDeep();
      return;
    }
    const inner = new Parser(this.src, this.shared, this.depth + 1);
    inner.pos = this.pos;
    inner.pending = this.pending;
    inner.parseList({ origin, parent: owner, pipedInput: false }, ')');
    this.pos = inner.pos;
    this.pending = inner.pending;
  }

  emit(id: number, all: RawWord[], redirects: ShellRedirect[], ctx: Ctx): void {
    let words = all;
    while (words.length > 0 && RESERVED_PREFIXES.has(words[0]?.raw ?? '')) {
      const stripped = words[0]?.raw;
      words = words.slice(1);
      if (stripped === 'time' && words[0]?.raw === '-p') words = words.slice(1);
    }
    if (words[0]?.raw === 'function' && words.length <= 2) return;
    if (words[0]?.raw === 'case' || words[0]?.raw === 'coproc' || words[0]?.raw === 'select') {
      this.opaque(`"${words[0].raw}" is not supported`);
    }
    let i = 0;
    const assignments: string[] = [];
    while (i < words.length && ASSIGNMENT.test(words[i]?.raw ?? '')) {
      assignments.push(words[i]?.text ?? '');
      i++;
    }
    const argv = words.slice(i);
    if (argv.length === 0 && assignments.length === 0 && redirects.length === 0) return;
    if (argv[0]?.text === 'let') this.shared.arithmetic = true;
    const cmd: SimpleCommand = {
      id,
      parent: ctx.parent,
      origin: ctx.origin,
      pipedInput: ctx.pipedInput,
      words: words.map((w) => w.text),
      assignments,
      wrappers: [],
      argv: argv.map(publicWord),
      redirects,
      argsFromInput: false,
    };
    this.shared.out.push(cmd);
    unwrapCommand(cmd, {
      opaque: (reason) => this.opaque(reason),
      parseString: (text, origin) => this.parseString(text, origin, cmd.id),
      addCommand: (words, origin) => {
        const childId = this.shared.nextId++;
        // Quoted raw text: exec'd words are never reserved words or assignments.
        this.emit(childId, words.map((w) => ({ ...w, raw: `'${w.text}'` })), [], {
          origin,
          parent: cmd.id,
          pipedInput: false,
        });
      },
    });
  }
}

function newBuilder(): WordBuilder {
  return { text: '', dynamic: false, glob: false, tilde: false, quoted: false, raw: '' };
}

function endsWithOddBackslashes(line: string): boolean {
  const m = /\\+$/.exec(line);
  return m !== null && m[0].length % 2 === 1;
}

function readsScriptFromStdin(cmd: SimpleCommand): boolean {
  const name = commandBaseName(cmd.argv[0]?.text ?? '');
  if (!SHELL_NAMES.has(name)) return false;
  const args = cmd.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]?.text ?? '';
    if (a === '--' || !/^[-+]/.test(a)) return i + (a === '--' ? 1 : 0) >= args.length;
    if (/^-[a-zA-Z]*c/.test(a)) return false;
    if (/^-[a-zA-Z]*s/.test(a)) return true;
    if (/^[-+][a-zA-Z]*[oO]$/.test(a) || a === '--rcfile' || a === '--init-file') i++;
  }
  return true;
}

/**
 * Parses a bash command line into the simple commands it would run. Never throws: anything it
 * cannot analyse statically is reported through `opaque` and `reasons`, and every command it can
 * see is still listed (so risk rules and grant matching can be conservative).
 */
export function parseShell(command: string): ParsedShell {
  const shared: Shared = {
    out: [],
    reasons: [],
    nextId: 0,
    subparses: 0,
    arithmetic: false,
    literalSubstitution: false,
  };
  const parser = new Parser(command, shared, 0);
  parser.parseAll({ origin: 'line', parent: null, pipedInput: false });
  // Here-documents and here-strings fed to a shell are scripts too.
  for (let i = 0; i < shared.out.length; i++) {
    const cmd = shared.out[i] as SimpleCommand;
    if (!readsScriptFromStdin(cmd)) continue;
    for (const r of cmd.redirects) {
      if ((r.op === '<<' || r.op === '<<-') && r.body !== null) parser.parseString(r.body, 'heredoc', cmd.id);
      if (r.op === '<<<') {
        if (r.target.dynamic) parser.opaque('a shell reads a here-string only known at run time');
        else parser.parseString(r.target.text, 'heredoc', cmd.id);
      }
    }
  }
  // Why: `x='a[$(cmd)]'; ((x))` runs cmd — arithmetic evaluates strings recursively.
  if (shared.arithmetic && shared.literalSubstitution) {
    parser.opaque('arithmetic may evaluate a quoted command substitution');
  }
  return { commands: shared.out, opaque: shared.reasons.length > 0, reasons: shared.reasons };
}
