/**
 * What a secret looks like in agent output: known token formats, and values assigned to
 * secret-looking names. Each rule says which part of its match is the secret, so
 * `API_KEY=abc` keeps `API_KEY=` visible and only `abc` is hidden.
 *
 * Patterns are written to stay linear on hostile input: every match starts at a literal
 * prefix or a bounded name, and unbounded runs never overlap each other.
 */
import { isSecretName } from './secret-names.ts';

/** A matched secret's position, in UTF-16 code units: `[start, end)`. */
export interface SecretRange {
  start: number;
  end: number;
}

interface SecretRule {
  readonly id: string;
  /** Global, with indices (`gd`). */
  readonly pattern: RegExp;
  /** Instead of the pattern's matches: a finder written in code where one regex would backtrack. */
  readonly find?: (text: string) => SecretRange[];
  /** Named group holding the secret; the whole match when absent. */
  readonly group?: string;
  /** Further check on the named groups (e.g. the name must denote a secret); key `0` is the whole match. */
  readonly accept?: (groups: Record<string, string | undefined>) => boolean;
}

/** Values of secret-named keys that are types, literals or references, not secrets. */
const NOT_A_VALUE = /^(?:string|number|boolean|bigint|any|unknown|object|null|nil|none|undefined|true|false|str|int|bytes|optional|required|secret|env)$/i;

function isRealValue(value: string | undefined): boolean {
  if (value === undefined) return false;
  const bare = /^(["'`])(.*)\1$/s.exec(value)?.[2] ?? value;
  return bare !== '' && !NOT_A_VALUE.test(bare) && !/^\$\{?[A-Za-z_]/.test(bare) && !/^(?:process\.env|os\.environ)\b/.test(bare);
}

const acceptNamed = (g: Record<string, string | undefined>) => isSecretName(g.name ?? '') && isRealValue(g.value);

/**
 * A 40-character run that is random base64 rather than a word, an identifier or a path: both cases
 * and a digit, no path shape, and either a `/` or `+` or no long run of one case (identifiers are made
 * of words). Git object ids are lowercase hex and never match.
 */
function looksLikeAwsSecret(s: string): boolean {
  if (!/[A-Z]/.test(s) || !/[a-z]/.test(s) || !/[0-9/+]/.test(s)) return false;
  if (s.startsWith('/') || s.endsWith('/') || s.includes('//')) return false;
  // A path: every segment a word or a camelCase identifier.
  if (s.includes('/') && s.split('/').every((seg) => /^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*[0-9]*$/.test(seg))) return false;
  if (/[/+]/.test(s)) return true;
  return /[0-9]/.test(s) && !/[a-z]{6}|[A-Z]{6}/.test(s);
}

/** Where a wrappable token starts. */
const WRAP_START = /(?<![A-Za-z0-9_-])(?:sk-|gh[pousr]_|github_pat_|glpat-|npm_|hf_|xox[abposre]-|AIza|GOCSPX-|AKIA)[A-Za-z0-9_-]{4,}(?=[ \t]*\r?\n)/dg;
/** Shortest complete token per prefix: the lines after the cut are taken until it is complete. */
const FULL_LENGTH: ReadonlyArray<readonly [RegExp, number]> = [
  [/^github_pat_/, 93],
  [/^gh[pousr]_/, 40],
  [/^sk-ant-/, 104],
  [/^sk-/, 48],
  [/^glpat-/, 26],
  [/^npm_/, 40],
  [/^hf_/, 37],
  [/^xox/, 50],
  [/^AIza/, 39],
  [/^GOCSPX-/, 35],
  [/^AKIA/, 20],
];
// (sk-ant- keys are 108 characters; a shorter bound only decides when to stop taking lines.)
const TOKEN_CHAR = /[A-Za-z0-9_-]/;
const MAX_WRAPPED_LINES = 8;

/**
 * A known token whose first line ends before it is complete: the token characters at the start of
 * the next lines (after indentation or a quote's `> `) are its rest, taken only until the token has
 * its full length, so the words after it stay readable.
 */
function wrappedTokenRanges(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  WRAP_START.lastIndex = 0;
  for (let m = WRAP_START.exec(text); m !== null; m = WRAP_START.exec(text)) {
    const full = FULL_LENGTH.find(([re]) => re.test(m![0]))?.[1] ?? 40;
    let have = m[0].length;
    if (have >= full) continue;
    let end = m.index + have;
    for (let lines = 0; lines < MAX_WRAPPED_LINES && have < full; lines++) {
      let i = end;
      while (text[i] === ' ' || text[i] === '\t') i++;
      if (text[i] === '\r') i++;
      if (text[i] !== '\n') break;
      i++;
      while (text[i] === ' ' || text[i] === '\t' || text[i] === '>') i++;
      const start = i;
      while (i < text.length && TOKEN_CHAR.test(text[i]!)) i++;
      if (i === start) break;
      have += i - start;
      end = i;
      // A line that goes on with other text held the token's last piece.
      if (i < text.length && text[i] !== '\n' && text[i] !== '\r' && !TOKEN_CHAR.test(text[i]!)) break;
    }
    if (end > m.index + m[0].length && have >= 24) out.push({ start: m.index, end });
  }
  return out;
}

/** A line of a key body as PEM (64) or OpenSSH (70) print it. */
const KEY_BODY_LINE = /^[ \t]*(?:[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{70})[ \t]*$/;
/** Hex digests (sha256 sums) have the same width; a key body has letters beyond `f` or `+`/`/`. */
const NOT_HEX = /[g-zG-Z+/]/;
const PUBLIC_BEGIN = /-----BEGIN (?:CERTIFICATE|PUBLIC KEY|[A-Z ]*PUBLIC KEY|CERTIFICATE REQUEST|X509 CRL)-----/;
const ANY_END = /-----END [A-Z0-9 ]+-----/;
const MIN_BODY_LINES = 3;

/**
 * Three or more lines in a row of exactly key-body width (64 or 70 base64 characters), outside a
 * certificate or public-key block: a private key whose BEGIN and END were cut off. One pass over
 * the lines.
 */
function bareKeyBodyRanges(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  let inPublic = false;
  let runStart = -1;
  let runEnd = -1;
  let runLines = 0;
  const close = (): void => {
    if (runLines >= MIN_BODY_LINES) out.push({ start: runStart, end: runEnd });
    runLines = 0;
  };
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(at, lineEnd).replace(/\r$/, '');
    if (PUBLIC_BEGIN.test(line)) inPublic = true;
    if (!inPublic && KEY_BODY_LINE.test(line) && NOT_HEX.test(line)) {
      if (runLines === 0) runStart = at;
      runEnd = lineEnd;
      runLines++;
    } else close();
    if (ANY_END.test(line)) inPublic = false;
    if (nl === -1) break;
    at = nl + 1;
  }
  close();
  return out;
}

/** The END line of a private key. */
const PEM_END = /-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/dg;
/** One line of a key's base64 body (the line break may be real or a JSON `\n`). */
const BASE64_LINE = /^[A-Za-z0-9+/=]{8,100}$/;
/** A key body is not longer than this many lines (RSA 8192 is about 90). */
const MAX_BODY_LINES = 200;

/**
 * Private-key bodies whose BEGIN line is missing (cut-off output): from each END line, walk back over
 * the base64 lines before it. Written as code because a single regex over "base64 lines, then END"
 * backtracks over long base64 output that has no END line; this looks at each line once per END.
 */
function pemBodyRanges(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  let floor = 0;
  PEM_END.lastIndex = 0;
  for (let m = PEM_END.exec(text); m !== null; m = PEM_END.exec(text)) {
    let start = m.index;
    while (start > floor && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
    for (let lines = 0; lines < MAX_BODY_LINES && start > floor; lines++) {
      // The line break before `start`: a real one, or the two characters of a JSON `\n`.
      const breakLen = text[start - 1] === '\n' ? (text[start - 2] === '\r' ? 2 : 1) : text.startsWith('\\n', start - 2) ? 2 : 0;
      if (breakLen === 0 && lines > 0) break;
      const lineEnd = start - breakLen;
      let lineStart = lineEnd;
      while (lineStart > floor && /[A-Za-z0-9+/= \t]/.test(text[lineStart - 1] ?? '') && !text.startsWith('\\n', lineStart - 2)) lineStart--;
      const line = text.slice(lineStart, lineEnd).trim();
      if (!BASE64_LINE.test(line)) break;
      start = lineStart;
    }
    if (start < m.index && /[A-Za-z0-9+/=]/.test(text.slice(start, m.index))) out.push({ start, end: m.index + m[0].length });
    floor = m.index + m[0].length;
  }
  return out;
}

/** The rules, in no particular order: every range found is redacted, overlaps are merged. */
export const SECRET_RULES: readonly SecretRule[] = [
  // PEM private keys; an unterminated block (cut-off output) is hidden to the end.
  {
    id: 'pem-private-key',
    pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----|$)/dg,
  },
  { id: 'telegram-bot-token', pattern: /(?<![0-9])[0-9]{5,16}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/dg },
  // Anthropic (sk-ant-…) and OpenAI (sk-…, sk-proj-…) keys.
  // Real keys mix cases or carry digits; `sk-learn-extensions-…` is a slug.
  { id: 'sk-key', pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/dg, accept: (g) => /[0-9A-Z]/.test((g[0] ?? '').slice(3)) },
  { id: 'github-token', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/dg },
  { id: 'aws-access-key-id', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/dg },
  { id: 'slack-token', pattern: /(?<![A-Za-z0-9])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/dg },
  { id: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_/-]+/dg },
  { id: 'jwt', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/dg },
  { id: 'google-api-key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/dg },
  { id: 'google-oauth-secret', pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{20,}/dg },
  { id: 'npm-token', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{30,}/dg },
  { id: 'gitlab-token', pattern: /(?<![A-Za-z0-9_-])(?:glpat|gldt|glrt|glptt|glsoat)-[A-Za-z0-9_-]{20,}/dg },
  { id: 'stripe-key', pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/dg },
  { id: 'huggingface-token', pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}/dg },
  { id: 'sendgrid-key', pattern: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/dg },
  { id: 'twilio-api-key', pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/dg },
  { id: 'stripe-webhook-secret', pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/=]{20,}/dg },
  { id: 'google-oauth-token', pattern: /(?<![A-Za-z0-9_.-])ya29\.[A-Za-z0-9_-]{20,}/dg },
  { id: 'digitalocean-token', pattern: /(?<![A-Za-z0-9_])do[por]_v1_[a-f0-9]{40,}/dg },
  { id: 'pypi-token', pattern: /(?<![A-Za-z0-9_-])pypi-[A-Za-z0-9_-]{40,}/dg },
  { id: 'age-secret-key', pattern: /AGE-SECRET-KEY-1[0-9A-Z]{50,}/dg },
  { id: 'linear-api-key', pattern: /(?<![A-Za-z0-9_])lin_(?:api|oauth)_[A-Za-z0-9]{30,}/dg },
  { id: 'databricks-token', pattern: /(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9])/dg },
  { id: 'docker-pat', pattern: /(?<![A-Za-z0-9_])dckr_pat_[A-Za-z0-9_-]{20,}/dg },
  { id: 'groq-key', pattern: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{40,}/dg },
  // Passwords on command lines: `curl -u user:pass`, `sshpass -p pass`, `MYSQL_PWD=pass`.
  { id: 'curl-user', pattern: /\bcurl\b[^\n|;&]{0,400}?[ \t](?:-u|--user)[ \t]*['"]?[^\s:'"]{1,128}:(?<value>[^\s'"]+)/dg, group: 'value' },
  { id: 'sshpass', pattern: /\bsshpass\b[^\n|;&]{0,100}?[ \t]-p[ \t]*(?<value>'[^'\n]*'|"[^"\n]*"|[^\s'"]+)/dg, group: 'value' },
  { id: 'mysql-pwd', pattern: /\bMYSQL_PWD=(?<value>'[^'\n]*'|"[^"\n]*"|[^\s'"]+)/dg, group: 'value' },
  { id: 'discord-webhook', pattern: /https:\/\/(?:canary\.|ptb\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]+\/[A-Za-z0-9_-]+/dg },
  { id: 'discord-bot-token', pattern: /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/dg },
  {
    // A bare AWS secret access key (40 characters of base64 letters): in a credentials CSV, after
    // `aws configure list`, pasted alone. Git object ids are lowercase hex: a mix of cases is required.
    id: 'aws-secret-access-key',
    pattern: /(?<![A-Za-z0-9/+=.~-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=.~-])/dg,
    accept: (g) => looksLikeAwsSecret(g[0] ?? ''),
  },
  // The body of a private key whose BEGIN line was cut off: base64 lines up to its END line.
  { id: 'pem-body', pattern: PEM_END, find: pemBodyRanges },
  // mysql -pSECRET (the password glued to -p); --password=… is a secret flag below.
  {
    id: 'mysql-password',
    pattern: /\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n|;&]{0,400}?[ \t]-p(?<value>'[^'\n]*'|"[^"\n]*"|[^\s'"]+)/dg,
    group: 'value',
  },
  // A known token cut across lines (terminal or Markdown wrapping, a quote's `> `).
  { id: 'wrapped-token', pattern: WRAP_START, find: wrappedTokenRanges },
  // Bare private-key bodies: runs of PEM-width base64 lines with no BEGIN or END left in view.
  { id: 'bare-key-body', pattern: PEM_END, find: bareKeyBodyRanges },
  {
    id: 'authorization-header',
    pattern: /\b(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|token|bot|digest)[ \t]+)?(?<value>[^\s"',;]+)/dgi,
    group: 'value',
  },
  // A bearer token outside a header line; short words ("Bearer auth") are prose, not tokens.
  {
    id: 'bearer-token',
    pattern: /\bbearer[ \t]+(?<value>[A-Za-z0-9\-._~+/]{20,}=*|(?=[A-Za-z\-._~+/]*[0-9])[A-Za-z0-9\-._~+/]{8,}=*)/dgi,
    group: 'value',
  },
  // scheme://user:password@host — only the password goes.
  { id: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#]{0,256}:(?<value>[^\s@/?#]+)@/dgi, group: 'value' },
  // NAME=value, NAME: value, "name": "value", name => 'value' for secret-looking names. An
  // unquoted value directly followed by `(` is a call (`token = getToken()`), not a secret. A
  // name never starts inside a word or path: `//x-access-token:…@` is a URL's user (see
  // url-credentials) and `--token=…` a flag (see secret-flag).
  {
    id: 'secret-assignment',
    pattern:
      /(?<![A-Za-z0-9_./-])(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*(?:=>|:=|[:=])[ \t]*(?<value>"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|[^\s"'`,;(){}[\]<>=][^\s"'`,;(){}[\]<>]{0,1023})(?<call>\()?/dg,
    group: 'value',
    accept: (g) => g.call === undefined && acceptNamed(g),
  },
  // --token abc, --api-key=abc
  {
    id: 'secret-flag',
    pattern: /(?<![A-Za-z0-9_-])--?(?<name>[A-Za-z][A-Za-z0-9_-]{0,60})(?:=|[ \t]+)(?<value>"[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s]*)/dg,
    group: 'value',
    accept: acceptNamed,
  },
];

/** Finds every rule's secrets in `text` (unsorted, possibly overlapping). */
export function findRuleSecrets(text: string, rules: readonly SecretRule[] = SECRET_RULES): SecretRange[] {
  const found: SecretRange[] = [];
  for (const rule of rules) {
    if (rule.find) {
      found.push(...rule.find(text));
      continue;
    }
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
      if (m[0] === '') rule.pattern.lastIndex++;
      const span = rule.group ? m.indices?.groups?.[rule.group] : m.indices?.[0];
      if (!span) continue;
      if (rule.accept && !rule.accept({ ...m.groups, 0: m[0] })) {
        // `x: password=abc`: a rejected match's value may itself hold an assignment.
        if (rule.group && /[=:]/.test(text.slice(span[0], span[1]))) rule.pattern.lastIndex = span[0];
        continue;
      }
      let [start, end] = span;
      const quote = text[start];
      // A quoted value keeps its quotes: only what is between them is secret.
      if (rule.group && end - start >= 2 && (quote === '"' || quote === "'" || quote === '`') && text[end - 1] === quote) {
        start++;
        end--;
      }
      if (end > start) found.push({ start, end });
    }
  }
  return found;
}

/** A rule matching any of `values` exactly (longest first), or null when there are none. */
export function exactValuesRule(values: readonly string[]): SecretRule | null {
  const unique = [...new Set(values.filter((v) => v !== ''))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return null;
  const escaped = unique.map((v) => v.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return { id: 'exact-value', pattern: new RegExp(escaped.join('|'), 'gd') };
}
