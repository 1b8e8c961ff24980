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
import { SHELL_NAMES, commandBaseName } from './shell-words.ts';
import { ShellLexer, literalWord, publicWord } from './shell-lexer.ts';
import type { Ctx, RawWord, Shared } from './shell-lexer.ts';
import type { CommandOrigin, ParsedShell, ShellRedirect, SimpleCommand } from './shell-types.ts';

export type { CommandOrigin, ParsedShell, ShellWord, SimpleCommand } from './shell-types.ts';

/** Longest command line analysed; longer ones are opaque (and cost nothing to reject). */
const MAX_LENGTH = 65_536;
/** Nesting limit for substitutions and command strings. */
const MAX_DEPTH = 12;
/** Limit on how many command strings (`bash -c`, `eval`, here-documents) are parsed per line. */
const MAX_SUBPARSES = 200;
/**
 * Limit on the characters all nested command strings of one line add up to. Why: `eval eval … ls`
 * re-parses the rest of the line at each level, so a long such line would cost quadratic time on
 * the core's event loop; past the budget the line is opaque (and goes to the owner).
 */
const MAX_SUBPARSE_CHARS = 256_000;

const RESERVED_PREFIXES = new Set(['!', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'time', '}']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;

/** The grammar: lists, pipelines, simple and compound commands. */
class Parser extends ShellLexer {
  /** Runs the whole input (or a nested command string). */
  override parseAll(ctx: Ctx): void {
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
          this.shared.functions.push(words[words.length - 1]?.text ?? '');
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

  isFunctionDefinition(words: RawWord[], redirects: ShellRedirect[]): boolean {
    const named = words.length === 1 || (words.length === 2 && words[0]?.raw === 'function');
    return named && redirects.length === 0 && /^\([ \t]*\)/.test(this.src.slice(this.pos, this.pos + 256));
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

  /** A parser for a nested command string, or null (and opaque) when the limits are reached. */
  override child(text: string): Parser | null {
    this.shared.subparses++;
    this.shared.subparseChars += text.length;
    if (this.depth + 1 > MAX_DEPTH || this.shared.subparses > MAX_SUBPARSES || this.shared.subparseChars > MAX_SUBPARSE_CHARS) {
      this.opaque('the command is nested too deeply');
      return null;
    }
    return new Parser(text, this.shared, this.depth + 1);
  }

  override parseNested(owner: number, origin: CommandOrigin, pipedInput = false): void {
    if (this.depth + 1 > MAX_DEPTH) {
      this.tooDeep();
      return;
    }
    const inner = new Parser(this.src, this.shared, this.depth + 1);
    inner.pos = this.pos;
    inner.pending = this.pending;
    inner.parseList({ origin, parent: owner, pipedInput }, ')');
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
      words: words.map(publicWord),
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
        this.emit(
          childId,
          words.map((w) => ({ ...w, raw: `'${w.text}'` })),
          [],
          {
            origin,
            parent: cmd.id,
            pipedInput: false,
          },
        );
      },
    });
  }
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
  if (command.length > MAX_LENGTH) {
    return { commands: [], opaque: true, reasons: [`the command is longer than ${MAX_LENGTH} characters`], functions: [] };
  }
  const shared: Shared = {
    out: [],
    reasons: [],
    nextId: 0,
    subparses: 0,
    subparseChars: 0,
    arithmetic: false,
    literalSubstitution: false,
    functions: [],
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
  return { commands: shared.out, opaque: shared.reasons.length > 0, reasons: shared.reasons, functions: shared.functions };
}
