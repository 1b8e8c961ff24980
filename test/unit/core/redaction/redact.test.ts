import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRedactor,
  EnvFileError,
  markdownToTelegramHtml,
  readEnvFileValues,
  REDACTED,
  redactHtml,
} from '../../../../src-main/surfaces/telegram/format/index.ts';
import { randomMarkdown, seededRandom } from '../../../helpers/random-markdown.ts';
import { assertTelegramHtml } from '../../../helpers/telegram-html.ts';

const redact = createRedactor();

// Fake credentials in the shapes of the real ones (never valid anywhere).
const TELEGRAM = '1234567890:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw2';
const ANTHROPIC = 'sk-ant-api03-Xy7_kLmN0pQrStUvWxYz0123456789abcdefGHIJ-klmnOPQ';
const OPENAI = 'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUv';
const GITHUB = 'ghp_0123456789abcdefghijklmnopqrstuvwxyZ';
const GITHUB_OAUTH = 'gho_16C7e42F292c6912E7710c838347Ae178B4a';
const GITHUB_PAT = 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN';
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const SLACK = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const GOOGLE = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\nAAAAAAAAAAAAAA==\n-----END OPENSSH PRIVATE KEY-----';

describe('createRedactor: known token formats', () => {
  it.each([
    ['Telegram bot token', TELEGRAM],
    ['Anthropic key', ANTHROPIC],
    ['OpenAI key', OPENAI],
    ['GitHub token', GITHUB],
    ['GitHub OAuth token', GITHUB_OAUTH],
    ['GitHub fine-grained token', GITHUB_PAT],
    ['AWS access key id', AWS_ID],
    ['Slack token', SLACK],
    ['JWT', JWT],
    ['Google API key', GOOGLE],
    ['PEM private key', PEM],
  ])('hides a %s wherever it appears', (_, secret) => {
    const out = redact(`before ${secret} after\n(${secret})`);
    expect(out).toBe(`before ${REDACTED} after\n(${REDACTED})`);
  });

  it('hides a Telegram token inside a Bot API URL', () => {
    expect(redact(`curl https://api.telegram.org/bot${TELEGRAM}/getMe`)).toBe(`curl https://api.telegram.org/bot${REDACTED}/getMe`);
  });

  it('hides an unterminated private key block to the end (cut-off output)', () => {
    expect(redact('key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAKCAQEA')).toBe(`key:\n${REDACTED}`);
  });

  it('hides authorization headers, bearer tokens and URL passwords but keeps the context', () => {
    expect(redact('Authorization: Bearer abc.def-123')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redact('-H "authorization: token 0123abcd"')).toBe(`-H "authorization: token ${REDACTED}"`);
    expect(redact('curl -H "Authorization: Basic dXNlcjpwYXNz" x')).toBe(`curl -H "Authorization: Basic ${REDACTED}" x`);
    expect(redact('use bearer 9f8e7d6c5b4a as token')).toBe(`use bearer ${REDACTED} as token`);
    expect(redact('DATABASE=postgres://app:s3cr3t-pw@db.local:5432/app')).toBe(`DATABASE=postgres://app:${REDACTED}@db.local:5432/app`);
    expect(redact('https://x-access-token:tok123@github.com/o/r.git')).toBe(`https://x-access-token:${REDACTED}@github.com/o/r.git`);
  });

  it('hides Slack webhook addresses', () => {
    expect(redact('POST https://hooks.slack.com/services/T0000/B0000/XXXXXXXX done')).toBe(`POST ${REDACTED} done`);
  });
});

describe('createRedactor: secret assignments', () => {
  it.each([
    ['API_KEY=abc123def', `API_KEY=${REDACTED}`],
    ['export GITHUB_TOKEN=tok_123 && run', `export GITHUB_TOKEN=${REDACTED} && run`],
    ['DB_PASSWORD="p@ss word"', `DB_PASSWORD="${REDACTED}"`],
    ["client_secret = 'xyz987'", `client_secret = '${REDACTED}'`],
    ['password: hunter2', `password: ${REDACTED}`],
    ['{"password": "hunter2", "user": "bob"}', `{"password": "${REDACTED}", "user": "bob"}`],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key = ${REDACTED}`],
    ['apiKey: "k-123"', `apiKey: "${REDACTED}"`],
    ['X-Api-Key: 123abc', `X-Api-Key: ${REDACTED}`],
    ['GITHUBTOKEN=abc', `GITHUBTOKEN=${REDACTED}`],
    ['config.secret => "s1"', `config.secret => "${REDACTED}"`],
    ['deploy --token abc123 --verbose', `deploy --token ${REDACTED} --verbose`],
    ['deploy --api-key=abc123', `deploy --api-key=${REDACTED}`],
    ['x: password=abc', `x: password=${REDACTED}`],
  ])('%s', (input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each([
    'max_tokens=4096',
    'input_tokens: 1234',
    'tokenizer = load()',
    'const token = getToken();',
    'password: string;',
    'token: Optional[str] = None',
    'TOKEN=$GITHUB_TOKEN',
    'secretary: Alice',
    'primary_key = id',
    'PWD=/home/me',
    'the Bearer authentication scheme',
    'Authorization header is required',
  ])('leaves non-secrets alone: %s', (input) => {
    expect(redact(input)).toBe(input);
  });

  it('is idempotent', () => {
    const text = `TOKEN=abc ${GITHUB} "password": "x" Authorization: Bearer qwerty123 ${PEM}`;
    expect(redact(redact(text))).toBe(redact(text));
  });
});

describe('createRedactor: exact values', () => {
  it('hides every occurrence of the given values, longest first', () => {
    const r = createRedactor({ extraValues: ['db-pass-42', 'db-pass-42-long', ''] });
    expect(r('a db-pass-42-long b db-pass-42 c')).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(r('regex chars too')).toBe('regex chars too');
    expect(createRedactor({ extraValues: ['a.b*c(d)'] })('x a.b*c(d) axbbc(d)')).toBe(`x ${REDACTED} axbbc(d)`);
  });

  it('reports merged ranges for overlapping findings', () => {
    const r = createRedactor({ extraValues: ['abc123def'] });
    const text = 'API_KEY=abc123def rest';
    expect(r.findSecrets(text)).toEqual([{ start: 8, end: 17 }]);
    expect(r(text)).toBe(`API_KEY=${REDACTED} rest`);
  });

  it('stays fast on hostile input', () => {
    const cases = [
      'a='.repeat(50_000),
      'b=b:'.repeat(30_000),
      'sk-'.repeat(50_000),
      'http://'.repeat(30_000),
      '-----BEGIN PRIVATE KEY-----'.repeat(5_000),
      'x'.repeat(200_000),
      '--token '.repeat(30_000),
    ];
    // Linear patterns finish these in milliseconds; a backtracking one would run for minutes and the
    // test would hit its timeout (no wall-time assertion: it must not depend on the machine's speed).
    for (const input of cases) expect(typeof redact(input)).toBe('string');
  });
});

describe('redactHtml', () => {
  const r = createRedactor({ extraValues: ['supersecretvalue'] });

  it('redacts visible text without touching tags', () => {
    expect(redactHtml(`<b>key</b> <code>${GITHUB}</code> done`, r)).toBe(`<b>key</b> <code>${REDACTED}</code> done`);
    expect(redactHtml('<b>TOKEN</b>=<code>abcdef123</code> done', r)).toBe(`<b>TOKEN</b>=<code>${REDACTED}</code> done`);
  });

  it('catches secrets written with entities or split across tags', () => {
    expect(redactHtml('x supersecret&#118;alue y', r)).toBe(`x ${REDACTED} y`);
    expect(redactHtml('x <b>supersecret</b><i>value</i> y', r)).toBe(`x <b>${REDACTED}</b><i></i> y`);
    expect(redactHtml('{&quot;password&quot;: &quot;hunter2&quot;}', r)).toBe(`{&quot;password&quot;: &quot;${REDACTED}&quot;}`);
  });

  it('drops a link whose address holds a secret but keeps its text', () => {
    expect(redactHtml('see <a href="https://u:pass123@h.example/">the repo</a> now', r)).toBe('see the repo now');
    expect(redactHtml('<a href="https://h.example/?q=1&amp;r=2">ok</a>', r)).toBe('<a href="https://h.example/?q=1&amp;r=2">ok</a>');
  });

  it('keeps converted random documents valid', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const md = `${randomMarkdown(seededRandom(seed), 80)} TOKEN=${seed}abc ${GITHUB} supersecretvalue`;
      const html = redactHtml(markdownToTelegramHtml(md), r);
      assertTelegramHtml(html);
      expect(html).not.toContain(GITHUB);
      expect(html).not.toContain('supersecretvalue');
    }
  });
});

describe('readEnvFileValues', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'reins-env-'));
    dirs.push(d);
    return d;
  };

  it('reads values from dotenv syntax, ignoring comments, short values and plain words', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, '.env'),
      [
        '# a comment with secretvalue123',
        'API_KEY=abcdef123456',
        'export DATABASE_URL="postgres://u:p@h/db"  ',
        "SINGLE='single quoted value'",
        'INLINE=value-with-comment # trailing comment',
        'SHORT=abc',
        'NODE_ENV=production',
        'BUILD=123456',
        'DB_PASSWORD=justletters',
        'ESCAPED="line1\\nline2-long"',
        'MULTI="-----BEGIN KEY-----',
        'bXVsdGlsaW5lIGtleQ==',
        '-----END KEY-----"',
        '',
        '   ',
        'not an assignment line',
      ].join('\n'),
    );
    const values = readEnvFileValues([join(dir, '.env'), join(dir, 'missing.env')]);
    expect(values).toEqual(
      expect.arrayContaining([
        'abcdef123456',
        'postgres://u:p@h/db',
        'single quoted value',
        'value-with-comment',
        'justletters',
        'line1\nline2-long',
        'line1\\nline2-long',
        '-----BEGIN KEY-----\nbXVsdGlsaW5lIGtleQ==\n-----END KEY-----',
        'bXVsdGlsaW5lIGtleQ==',
      ]),
    );
    for (const v of ['secretvalue123', 'abc', 'production', '123456']) expect(values).not.toContain(v);
    expect(createRedactor({ extraValues: values })('connect to postgres://u:p@h/db now')).toBe(`connect to ${REDACTED} now`);
  });

  it('fails loudly when a listed file exists but cannot be read', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'dir.env'));
    expect(() => readEnvFileValues([join(dir, 'dir.env')])).toThrow(EnvFileError);
    const file = join(dir, 'ok.env');
    writeFileSync(file, 'A_TOKEN=abcdef');
    chmodSync(file, 0o600);
    expect(readEnvFileValues([file])).toEqual(['abcdef']);
  });
});
