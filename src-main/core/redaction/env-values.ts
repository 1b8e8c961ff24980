/**
 * Values from dotenv files, to be hidden wherever they show up in agent output (an agent that
 * runs `cat .env` or echoes `$DATABASE_URL` must not send them to Telegram).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretName } from './secret-names.ts';

/** A dotenv file name: `.env`, `.env.local`, `prod.env`, `.envrc` (direnv). */
const ENV_FILE = /^(?:\.env(?:\..+)?|.+\.env|\.envrc)$/;
/** Folders that hold dependencies or build output, not the project's own settings. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'vendor', 'dist', 'build', 'target', '.venv', 'venv', '__pycache__', '.next', '.cache']);
const MAX_DEPTH = 4;
const MAX_ENTRIES = 20_000;
const MAX_FILES = 200;

/**
 * The dotenv files of a project, its subfolders included (a monorepo keeps `services/api/.env`),
 * and direnv's `.envrc`; bounded in depth and size so a huge tree cannot stall the bridge.
 */
export function findEnvFiles(projectDir: string): string[] {
  const found: string[] = [];
  let seen = 0;
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES || found.length >= MAX_FILES) return;
      if (e.isFile() && ENV_FILE.test(e.name)) found.push(join(dir, e.name));
      else if (e.isDirectory() && depth < MAX_DEPTH && !SKIPPED_DIRS.has(e.name)) walk(join(dir, e.name), depth + 1);
    }
  };
  walk(projectDir, 0);
  return found;
}

/** Values shorter than this are too common to hide everywhere ("true", "3000", "dev"). */
const MIN_VALUE_LENGTH = 6;

/** A .env file exists but cannot be read, so its values could not be protected. */
export class EnvFileError extends Error {
  override name = 'EnvFileError';
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(
      `Cannot read ${path} to redact its values (${cause instanceof Error ? cause.message : String(cause)}). Fix its permissions or remove it from the list of .env files.`,
      { cause },
    );
    this.path = path;
  }
}

/**
 * Reads dotenv files and returns the values worth redacting, deduplicated. Missing files are
 * skipped. Comments, blank lines and values shorter than 6 characters are ignored; so are
 * plain lowercase words and plain numbers (`NODE_ENV=production`, `BUILD=123456`) unless the
 * key itself names a secret, because hiding such words everywhere would garble normal text.
 * A multi-line value also contributes each of its lines.
 */
export function readEnvFileValues(paths: readonly string[]): string[] {
  const values = new Set<string>();
  for (const path of paths) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new EnvFileError(path, err);
    }
    for (const { key, value } of parseDotenv(text)) {
      for (const v of [value, ...(value.includes('\n') ? value.split('\n').map((l) => l.trim()) : [])]) {
        if (worthRedacting(key, v)) values.add(v);
      }
    }
  }
  return [...values];
}

function worthRedacting(key: string, value: string): boolean {
  if (value.length < MIN_VALUE_LENGTH) return false;
  if (isSecretName(key)) return true;
  return !/^(?:[a-z]+|[0-9]+)$/.test(value);
}

/** Minimal dotenv grammar: `[export] KEY=value`, quotes, `#` comments, multi-line quoted values. */
function parseDotenv(text: string): Array<{ key: string; value: string }> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Array<{ key: string; value: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s?(.*)$/.exec(lines[i] as string);
    if (!m) continue;
    const key = m[1] as string;
    let raw = (m[2] as string).trimStart();
    const quote = raw[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      let close = closingQuote(raw, quote);
      while (close < 0 && i + 1 < lines.length) {
        raw += `\n${lines[++i] as string}`;
        close = closingQuote(raw, quote);
      }
      const inner = raw.slice(1, close < 0 ? raw.length : close);
      out.push({ key, value: quote === '"' ? unescapeDouble(inner) : inner });
      if (quote === '"' && inner !== unescapeDouble(inner)) out.push({ key, value: inner });
    } else {
      out.push({ key, value: raw.replace(/\s+#.*$/, '').trim() });
    }
  }
  return out;
}

function closingQuote(raw: string, quote: string): number {
  for (let k = 1; k < raw.length; k++) {
    if (raw[k] === '\\' && quote === '"') k++;
    else if (raw[k] === quote) return k;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([nrt"\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c));
}
