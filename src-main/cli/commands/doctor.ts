import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { homePaths } from '../../core/host/paths.ts';
import { looseEntries } from '../../core/host/private-dir.ts';
import { readAuditSeal, verifyAuditLog } from '../../core/audit/index.ts';
import { createAuditRepo } from '../../core/store/repos/audit-repo.ts';
import { loadConfig, type ReinsConfig } from '../../core/host/config.ts';
import { declaredAcpAgent } from '../../core/agents/acp/descriptor.ts';
import { binEnvName, resolveAgents } from '../../core/agents/registry.ts';
import { Api } from 'grammy';
import { readRuntimeFile } from '../../surfaces/api/index.ts';
import { secretStoreFor, type SecretStore } from '../../core/secrets/index.ts';
import { grammySignal } from '../../surfaces/telegram/grammy-signal.ts';
import { apiRootOf, BOT_TOKEN_SECRET, TOKEN_ENV, type TelegramStatus } from '../../surfaces/telegram/index.ts';
import { MIGRATIONS, openDatabase } from '../../core/store/index.ts';
import { createServiceManager, currentServiceHost } from '../../service/index.ts';

const run = promisify(execFile);

/** One finding: ok, a warning (works, but worse), or a failure (something required is missing). */
interface Check {
  level: 'ok' | 'warn' | 'fail';
  what: string;
  detail: string;
}
const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

/** Finds an executable the way the OS would (no shell). */
function findOnPath(bin: string, env: NodeJS.ProcessEnv): string | null {
  const candidates =
    isAbsolute(bin) || bin.includes('/')
      ? [bin]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, bin));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return null;
}

async function checkNode(): Promise<Check> {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const ok = major === 24 && minor >= 11;
  return {
    level: ok ? 'ok' : 'fail',
    what: 'Node',
    detail: ok ? `v${process.versions.node}` : `v${process.versions.node}; Reins needs Node 24.11+ (npm start installs it for you)`,
  };
}

function checkHome(home: string): Check[] {
  const paths = homePaths(home);
  const checks: Check[] = [];
  if (!existsSync(home)) {
    checks.push({ level: 'ok', what: 'Data directory', detail: `${home} (created on first start)` });
    return checks;
  }
  try {
    accessSync(home, constants.W_OK);
    checks.push({ level: 'ok', what: 'Data directory', detail: home });
  } catch {
    checks.push({ level: 'fail', what: 'Data directory', detail: `${home} is not writable; fix its permissions or pass --home` });
  }
  const loose = looseEntries(home);
  checks.push(
    loose.length === 0
      ? { level: 'ok', what: 'Privacy', detail: 'the data directory is 0700 and its files 0600' }
      : {
          level: 'warn',
          what: 'Privacy',
          detail: `readable by other users: ${loose
            .slice(0, 4)
            .map((l) => `${l.path} (${l.from})`)
            .join(', ')}${loose.length > 4 ? ` and ${loose.length - 4} more` : ''}; the next start makes them private, or run \`chmod -R go= ${home}\``,
        },
  );
  if (existsSync(paths.db)) {
    const db = openDatabase(paths.db, { readonly: true });
    const v = db.pragma('user_version', { simple: true }) as number;
    db.close();
    const newest = MIGRATIONS.at(-1)!.version;
    checks.push(
      v > newest
        ? { level: 'fail', what: 'Database', detail: `schema ${v} is newer than this Reins (${newest}); upgrade Reins` }
        : { level: 'ok', what: 'Database', detail: `schema ${v}${v < newest ? ` (will migrate to ${newest})` : ''}` },
    );
  }
  return checks;
}

async function checkCore(home: string): Promise<Check> {
  const info = readRuntimeFile(homePaths(home).runtime);
  if (!info) return { level: 'warn', what: 'Core', detail: 'not running; start it with `reins daemon` or `npm start`' };
  try {
    const res = await fetch(`${info.url}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
    return res.ok
      ? { level: 'ok', what: 'Core', detail: `running at ${info.url} (pid ${info.pid}, v${info.version})` }
      : { level: 'fail', what: 'Core', detail: `answers HTTP ${res.status} at ${info.url}` };
  } catch {
    return {
      level: 'warn',
      what: 'Core',
      detail: `runtime.json names ${info.url} (pid ${info.pid}) but nothing answers: it crashed or was killed; start it again`,
    };
  }
}

/** How long an agent may take to print its version (a first start can unpack or migrate). */
const VERSION_TIMEOUT_MS = 15_000;

async function versionCheck(name: string, path: string, args: readonly string[]): Promise<Check> {
  try {
    const { stdout } = await run(path, [...args], { timeout: VERSION_TIMEOUT_MS });
    return { level: 'ok', what: name, detail: `${stdout.trim().split('\n')[0] ?? ''} (${path})` };
  } catch (err) {
    if ((err as { killed?: boolean }).killed) {
      return {
        level: 'warn',
        what: name,
        detail: `${path} did not print its version within ${VERSION_TIMEOUT_MS / 1000} s (busy machine, or a slow first start); run \`${path} ${args.join(' ')}\` to see`,
      };
    }
    return { level: 'fail', what: name, detail: `${path} does not run: ${(err as Error).message.split('\n')[0]}` };
  }
}

/**
 * `work` over `items`, two at a time, results in order. Agent CLIs are slow to start (a Node or Bun
 * runtime each): all at once on a small machine, every one of them would run into its timeout.
 */
async function mapTwoAtATime<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all([lane(), lane()]);
  return results;
}

/** Every agent of the registry: its version where installed, how to install it where not. */
async function checkAgents(config: ReinsConfig, env: NodeJS.ProcessEnv): Promise<Check[]> {
  const agents = [...resolveAgents(config, env, declaredAcpAgent).values()];
  const checks = await mapTwoAtATime(agents, async ({ descriptor: d, bin }) => {
    const path = findOnPath(bin, env);
    const untested = d.tested ? '' : " (not covered by Reins' own tests)";
    if (path === null)
      return {
        level: 'warn',
        what: d.displayName,
        detail: `\`${bin}\` not found. Install it (${d.installHint}) or set ${binEnvName(d.id)}${untested}`,
      } satisfies Check;
    const check = await versionCheck(d.displayName, path, d.versionArgs);
    return { ...check, detail: check.detail + untested };
  });
  // No coding agent (one whose calls Reins approves; a terminal does not count) is a failure: Reins has nothing to run.
  const coding = agents.map((a, i) => ({ a, check: checks[i]! })).filter(({ a }) => a.descriptor.capabilities.approvals);
  if (!coding.some(({ check }) => check.level === 'ok'))
    return checks.map((c, i) => (agents[i]!.descriptor.capabilities.approvals ? { ...c, level: 'fail' as const } : c));
  return checks;
}

async function checkKeychain(home: string, env: NodeJS.ProcessEnv): Promise<{ check: Check; store: SecretStore }> {
  const warnings: string[] = [];
  const store = await secretStoreFor(home, env, (m) => warnings.push(m));
  const check: Check =
    store.backend === 'keychain'
      ? { level: 'ok', what: 'Keychain', detail: 'OS keychain available for the bot token, signing key and audit seal' }
      : env.REINS_SECRET_STORE === 'file'
        ? { level: 'ok', what: 'Keychain', detail: `not used (REINS_SECRET_STORE=file): secrets are kept in ${homePaths(home).home}/secrets.json, mode 0600` }
        : { level: 'warn', what: 'Keychain', detail: warnings.join(' ') || 'not available; secrets are kept in a 0600 file' };
  return { check, store };
}

/** The bridge as the running core reports it, or null when no core answers. */
async function runningTelegram(home: string): Promise<TelegramStatus | null> {
  const info = readRuntimeFile(homePaths(home).runtime);
  if (!info) return null;
  try {
    const res = await fetch(`${info.url}/api/v1/telegram/status`, { headers: { authorization: `Bearer ${info.token}` }, signal: AbortSignal.timeout(3000) });
    return res.ok ? ((await res.json()) as { status: TelegramStatus }).status : null;
  } catch {
    return null;
  }
}

async function checkTelegram(home: string, config: ReinsConfig, env: NodeJS.ProcessEnv, store: SecretStore): Promise<Check[]> {
  const fromEnv = env[TOKEN_ENV]?.trim();
  const token = fromEnv || (await store.get(BOT_TOKEN_SECRET).catch(() => null));
  if (!token)
    return [
      { level: 'warn', what: 'Telegram', detail: 'not set up (optional): create a bot with @BotFather, then `reins telegram setup` and `reins telegram pair`' },
    ];
  const apiRoot = apiRootOf(config.telegram.apiRoot);
  const source = fromEnv ? TOKEN_ENV : store.backend === 'keychain' ? 'the keychain' : 'secrets.json';
  const checks: Check[] = [];
  if (fromEnv) {
    checks.push({
      level: 'warn',
      what: 'Telegram token',
      detail: `comes from ${TOKEN_ENV}: any program running as you can read another's environment (\`ps eww\`). Store it in the keychain with \`reins telegram setup\` and unset the variable`,
    });
  }
  try {
    const me = await new Api(token, { apiRoot }).getMe(grammySignal(AbortSignal.timeout(5000)));
    checks.push({ level: 'ok', what: 'Telegram bot', detail: `@${me.username} (token from ${source}, Bot API ${apiRoot})` });
  } catch (err) {
    const code = (err as { error_code?: unknown }).error_code;
    checks.push(
      code === 401 || code === 404
        ? { level: 'fail', what: 'Telegram bot', detail: `Telegram rejects the token from ${source}; run \`reins telegram setup\` with a valid one` }
        : { level: 'warn', what: 'Telegram bot', detail: `cannot reach ${apiRoot} to check the token (${(err as Error).message})` },
    );
  }
  const live = await runningTelegram(home);
  const owner = live?.ownerId ?? config.telegram.ownerId ?? null;
  if (live) {
    const level: Check['level'] = live.state === 'failed' ? 'fail' : live.state === 'running' ? 'ok' : 'warn';
    checks.push({
      level,
      what: 'Telegram bridge',
      detail: `${live.state}${live.error ? `: ${live.error}` : ''}${owner !== null ? `; owner ${owner}` : '; no owner: run `reins telegram pair`'}`,
    });
  } else {
    checks.push({
      level: owner !== null ? 'ok' : 'warn',
      what: 'Telegram owner',
      detail: owner !== null ? `${owner} (from config)` : 'none configured; pair with `reins telegram pair` once the core runs',
    });
  }
  return checks;
}

/** The audit log checked against its seal, as `reins audit verify` does. */
async function checkAudit(home: string, store: SecretStore): Promise<Check | null> {
  const { db: path } = homePaths(home);
  if (!existsSync(path)) return null;
  const db = openDatabase(path, { readonly: true });
  try {
    const result = verifyAuditLog({ audit: createAuditRepo(db) }, await readAuditSeal(store, home));
    return result.ok
      ? {
          level: 'ok',
          what: 'Audit log',
          detail: `intact: ${result.entries} entries, sealed with a key in ${store.backend === 'keychain' ? 'the OS keychain' : 'secrets.json (no keychain here)'}`,
        }
      : { level: 'fail', what: 'Audit log', detail: `${result.damage}: ${result.problem} (details: \`reins audit verify\`)` };
  } finally {
    db.close();
  }
}

/** `reins doctor`: explains what is present, what is missing and how to fix it. */
/** The login service: installed and running, installed but down (a warning), or not installed (fine). */
async function checkService(env: NodeJS.ProcessEnv): Promise<Check> {
  try {
    const status = await createServiceManager(currentServiceHost(env)).status('daemon');
    if (!status.installed) return { level: 'ok', what: 'Service', detail: 'not installed (optional: `reins service install` starts Reins at login)' };
    if (status.running) return { level: 'ok', what: 'Service', detail: `${status.detail}${status.pid ? `, pid ${status.pid}` : ''}` };
    return { level: 'warn', what: 'Service', detail: `installed but ${status.detail}; see \`reins service logs\`` };
  } catch (err) {
    return { level: 'ok', what: 'Service', detail: `not available here: ${(err as Error).message}` };
  }
}

export async function doctorCommand(home: string, env: NodeJS.ProcessEnv): Promise<number> {
  const checks: Check[] = [await checkNode(), ...checkHome(home)];
  let config: ReinsConfig | null = null;
  try {
    config = loadConfig(homePaths(home).config, env);
    checks.push({ level: 'ok', what: 'Config', detail: existsSync(homePaths(home).config) ? homePaths(home).config : 'defaults (no config.json)' });
  } catch (err) {
    checks.push({ level: 'fail', what: 'Config', detail: (err as Error).message });
  }
  checks.push(await checkCore(home));
  if (config) checks.push(...(await checkAgents(config, env)));
  const keychain = await checkKeychain(home, env);
  checks.push(keychain.check);
  const audit = await checkAudit(home, keychain.store);
  if (audit) checks.push(audit);
  if (config) checks.push(...(await checkTelegram(home, config, env, keychain.store)));
  checks.push(await checkService(env));
  for (const c of checks) process.stdout.write(`${MARK[c.level]} ${c.what.padEnd(15)} ${c.detail}\n`);
  const failed = checks.filter((c) => c.level === 'fail').length;
  process.stdout.write(failed ? `\n${failed} problem(s) to fix (see ✗ above).\n` : '\nAll required pieces are in place.\n');
  return failed ? 1 : 0;
}
