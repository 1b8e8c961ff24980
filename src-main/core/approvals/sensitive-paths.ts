/**
 * Which files are secret, and which locations change how the system, the shell, git or the agent
 * itself behave. Rules work on absolute, normalised paths (and on bare names for shell patterns).
 */
import path from 'node:path';
import { isInside } from './paths.ts';
import { matchSegment } from './glob.ts';

/** Where home and extra protected locations are, for the rules below. */
export interface SensitiveContext {
  homeDir: string;
  /** Extra secret locations (Reins' own data directory with its API token, …). */
  protectedPaths?: readonly string[];
}

const SECRET_NAME_RULES: ReadonlyArray<[RegExp, string]> = [
  [/^\.env/i, 'environment file'],
  [/\.env$/i, 'environment file'],
  [/^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$/i, 'SSH private key'],
  [/\.(pem|key|p12|pfx|jks|keystore|ppk|kdbx|asc)$/i, 'key or certificate file'],
  [/^(\.npmrc|\.yarnrc\.yml|\.pypirc|\.netrc|_netrc|\.pgpass|\.git-credentials|\.htpasswd|\.vault-token|\.dockercfg)$/i, 'credentials file'],
  [/^(credentials|credentials\.json|client_secret.*\.json|service-account.*\.json|secrets?\.(json|ya?ml|toml))$/i, 'credentials file'],
];

const SECRET_DIRS = new Set(['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.password-store', 'Keychains']);

/** Names a shell pattern is tested against: if `cat .e*` could expand to one of these, it is secret. */
const SECRET_SAMPLES = [
  '.env',
  '.env.local',
  '.envrc',
  'prod.env',
  'id_rsa',
  'id_ed25519',
  'id_ecdsa',
  'server.pem',
  'server.key',
  '.npmrc',
  '.netrc',
  '.pypirc',
  '.pgpass',
  '.git-credentials',
  'credentials',
  'credentials.json',
  '.ssh',
  '.gnupg',
  '.aws',
  '.kube',
];

/** Why a file name alone marks a secret, or null. */
export function secretNameReason(name: string): string | null {
  if (SECRET_DIRS.has(name)) return `${name} directory`;
  for (const [re, what] of SECRET_NAME_RULES) {
    if (re.test(name) && !/\.pub$/i.test(name)) return what;
  }
  return null;
}

/** Ordinary names: a pattern matching these too (`*`, `*.*`) is not aimed at secrets. */
const ORDINARY_SAMPLES = ['a', 'file.txt', 'index.ts', 'README.md'];

/**
 * True when a shell pattern segment is aimed at secret names (`.e*`, `*.pem`, `id_*`, `{a,.env}`):
 * it matches one of them and none of a few ordinary names, so `*` alone does not count.
 */
export function patternMayMatchSecret(segmentPattern: string): boolean {
  try {
    return SECRET_SAMPLES.some((sample) => matchSegment(segmentPattern, sample)) && !ORDINARY_SAMPLES.some((sample) => matchSegment(segmentPattern, sample));
  } catch {
    // A pattern too large to expand is treated as able to match anything.
    return true;
  }
}

/**
 * Why touching `absolute` reaches Reins itself, or null: it lies inside one of Reins' own locations
 * (the data directory with the database, runtime.json's API token and the secrets file) or, for a
 * recursive read, contains one.
 */
export function reinsPathReason(absolute: string, ctx: SensitiveContext, recursive: boolean): string | null {
  for (const protectedPath of ctx.protectedPaths ?? []) {
    const root = path.resolve(protectedPath);
    if (isInside(absolute, root)) return `${root} is Reins' own data (its database, API token and keys)`;
    if (recursive && isInside(root, absolute)) return `${absolute} contains Reins' own data (${root})`;
  }
  return null;
}

/** Why an absolute path is secret (its name, a secret directory on the way), or null. */
export function secretPathReason(absolute: string, ctx: SensitiveContext): string | null {
  const segments = absolute.split(path.sep).filter((s) => s !== '');
  for (const segment of segments) {
    const reason = secretNameReason(segment);
    if (reason !== null) return reason;
  }
  if (/^\/proc\/[^/]+\/environ$/.test(absolute)) return 'process environment';
  if (/^\/etc\/(shadow|gshadow|sudoers)/.test(absolute)) return 'system password file';
  if (/^\/etc\/ssh\/ssh_host_.*_key$/.test(absolute)) return 'SSH host key';
  const rel = path.relative(ctx.homeDir, absolute).split(path.sep).join('/');
  if (/^\.config\/(gcloud|gh|op|hub|doctl)(\/|$)/.test(rel)) return 'cloud CLI credentials';
  if (/^\.docker\/config\.json$/.test(rel)) return 'Docker credentials';
  if (/^Library\/(Keychains|Cookies)(\/|$)/.test(rel)) return 'keychain';
  return null;
}

const SYSTEM_DIRS = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/boot',
  '/sys',
  '/proc',
  '/System',
  '/Library',
  '/private/etc',
  '/var/lib',
  '/var/db',
];

const SHELL_STARTUP = /^(\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zshenv|\.zprofile|\.zlogin|\.kshrc|\.cshrc|\.tcshrc|\.inputrc)$/;

/**
 * Why writing `absolute` changes more than a file: system files, shell start-up files, git hooks,
 * the agent's own settings (which can grant it permissions or add hooks). Null when none applies.
 */
export function privilegedWriteReason(absolute: string, ctx: SensitiveContext): string | null {
  for (const dir of SYSTEM_DIRS) {
    if (isInside(absolute, dir)) return `changes system files (${dir})`;
  }
  const segments = absolute.split(path.sep).filter((s) => s !== '');
  const name = segments[segments.length - 1] ?? '';
  if (SHELL_STARTUP.test(name) || /\/\.config\/fish\//.test(absolute)) {
    return `changes shell start-up files (${name}), which run in every new shell`;
  }
  const gitIndex = segments.lastIndexOf('.git');
  if (gitIndex !== -1) {
    const inside = segments.slice(gitIndex + 1);
    if (inside[0] === 'hooks' || (inside[0] === 'config' && inside.length === 1)) {
      return 'changes git hooks or git config, which can run programs on later git commands';
    }
  }
  const claudeIndex = segments.lastIndexOf('.claude');
  if (claudeIndex !== -1 && /^settings(\.local)?\.json$/.test(segments[claudeIndex + 1] ?? '')) {
    return "changes the agent's own settings (permissions and hooks)";
  }
  if (name === '.mcp.json' || name === '.claude.json') {
    return "changes the agent's MCP servers or settings, which start programs";
  }
  if (isInside(absolute, path.join(ctx.homeDir, 'Library', 'LaunchAgents')) || isInside(absolute, path.join(ctx.homeDir, '.config', 'systemd'))) {
    return 'installs a background service';
  }
  if (name === 'authorized_keys') return 'changes who can log in over SSH';
  return null;
}

/** Device files that are harmless to read or write. */
export function isHarmlessDevice(absolute: string): boolean {
  return /^\/dev\/(null|zero|stdin|stdout|stderr|tty|random|urandom|fd\/\d+)$/.test(absolute);
}

/** True for bash's pseudo network paths (`/dev/tcp/host/port`, `/dev/udp/…`). */
export function isNetworkDevice(text: string): boolean {
  return /^\/dev\/(tcp|udp)\//.test(text);
}
