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

/** The rules, in no particular order: every range found is redacted, overlaps are merged. */
export const SECRET_RULES: readonly SecretRule[] = [
  // PEM private keys; an unterminated block (cut-off output) is hidden to the end.
  { id: 'pem-private-key', pattern: /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----|$)/gd },
  { id: 'telegram-bot-token', pattern: /(?<![0-9])[0-9]{5,16}:[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/gd },
  // Anthropic (sk-ant-…) and OpenAI (sk-…, sk-proj-…) keys.
  { id: 'sk-key', pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/gd },
  { id: 'github-token', pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/gd },
  { id: 'aws-access-key-id', pattern: /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])/gd },
  { id: 'slack-token', pattern: /(?<![A-Za-z0-9])(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/gd },
  { id: 'slack-webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9_/-]+/gd },
  { id: 'jwt', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/gd },
  { id: 'google-api-key', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/gd },
  { id: 'google-oauth-secret', pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{20,}/gd },
  { id: 'npm-token', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{30,}/gd },
  { id: 'gitlab-token', pattern: /(?<![A-Za-z0-9_-])(?:glpat|gldt|glrt|glptt|glsoat)-[A-Za-z0-9_-]{20,}/gd },
  { id: 'stripe-key', pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}/gd },
  { id: 'huggingface-token', pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}/gd },
  { id: 'sendgrid-key', pattern: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/gd },
  { id: 'twilio-api-key', pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/gd },
  { id: 'discord-webhook', pattern: /https:\/\/(?:canary\.|ptb\.)?discord(?:app)?\.com\/api\/webhooks\/[0-9]+\/[A-Za-z0-9_-]+/gd },
  { id: 'discord-bot-token', pattern: /(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_-])/gd },
  {
    // A bare AWS secret access key (40 characters of base64 letters): in a credentials CSV, after
    // `aws configure list`, pasted alone. Git object ids are lowercase hex: a mix of cases is required.
    id: 'aws-secret-access-key',
    pattern: /(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gd,
    accept: (g) => /[A-Z]/.test(g[0] ?? '') && /[a-z]/.test(g[0] ?? '') && /[0-9/+]/.test(g[0] ?? ''),
  },
  // The body of a private key whose BEGIN line was cut off: base64 lines up to its END line.
  { id: 'pem-body', pattern: /(?:[A-Za-z0-9+/=]{16,76}[ \t]*\r?\n)+[A-Za-z0-9+/=]{0,76}[ \t]*\r?\n?-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/gd },
  // mysql -pSECRET (the password glued to -p); --password=… is a secret flag below.
  { id: 'mysql-password', pattern: /\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n|;&]{0,400}?[ \t]-p(?<value>[^\s'"]+)/gd, group: 'value' },
  {
    // A known token cut across lines (terminal or Markdown wrapping): the prefix, then token
    // characters continued on the next lines. The word that follows a complete token may go too.
    id: 'wrapped-token',
    pattern: /(?<![A-Za-z0-9_-])(?:sk-|gh[pousr]_|github_pat_|glpat-|npm_|hf_|xox[abposre]-|AIza|GOCSPX-|AKIA)[A-Za-z0-9_-]{4,}(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9_-]+){1,8}/gd,
    accept: (g) => (g[0] ?? '').replace(/\s+/g, '').length >= 24,
  },
  {
    id: 'authorization-header',
    pattern: /\b(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:(?:bearer|basic|token|bot|digest)[ \t]+)?(?<value>[^\s"',;]+)/gid,
    group: 'value',
  },
  // A bearer token outside a header line; short words ("Bearer auth") are prose, not tokens.
  {
    id: 'bearer-token',
    pattern: /\bbearer[ \t]+(?<value>[A-Za-z0-9\-._~+/]{20,}=*|(?=[A-Za-z\-._~+/]*[0-9])[A-Za-z0-9\-._~+/]{8,}=*)/gid,
    group: 'value',
  },
  // scheme://user:password@host — only the password goes.
  { id: 'url-credentials', pattern: /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:@/?#]{1,256}:(?<value>[^\s@/?#]+)@/gid, group: 'value' },
  // NAME=value, NAME: value, "name": "value", name => 'value' for secret-looking names. An
  // unquoted value directly followed by `(` is a call (`token = getToken()`), not a secret. A
  // name never starts inside a word or path: `//x-access-token:…@` is a URL's user (see
  // url-credentials) and `--token=…` a flag (see secret-flag).
  {
    id: 'secret-assignment',
    pattern:
      /(?<![A-Za-z0-9_./-])(?<name>[A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*(?:=>|:=|[:=])[ \t]*(?<value>"[^"\n]*"|'[^'\n]*'|`[^`\n]*`|[^\s"'`,;(){}[\]<>=][^\s"'`,;(){}[\]<>]{0,1023})(?<call>\()?/gd,
    group: 'value',
    accept: (g) => g.call === undefined && acceptNamed(g),
  },
  // --token abc, --api-key=abc
  {
    id: 'secret-flag',
    pattern: /(?<![A-Za-z0-9_-])--?(?<name>[A-Za-z][A-Za-z0-9_-]{0,60})(?:=|[ \t]+)(?<value>"[^"\n]*"|'[^'\n]*'|[^\s"'-][^\s]*)/gd,
    group: 'value',
    accept: acceptNamed,
  },
];

/** Finds every rule's secrets in `text` (unsorted, possibly overlapping). */
export function findRuleSecrets(text: string, rules: readonly SecretRule[] = SECRET_RULES): SecretRange[] {
  const found: SecretRange[] = [];
  for (const rule of rules) {
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
