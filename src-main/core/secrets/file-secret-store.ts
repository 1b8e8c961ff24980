/**
 * Secrets in `<dir>/secrets.json`, readable by the owner only (mode 0600). The fallback for
 * machines without a usable OS keychain (servers, containers, SSH sessions without a bus).
 *
 * The file is never written in place: a new file is written next to it with mode 0600,
 * flushed, and renamed over the old one, so a crash leaves either the old or the new content.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSecretName, SecretStoreError, type SecretStore } from './secret-store.ts';

/** File name inside the data directory. */
const SECRETS_FILE_NAME = 'secrets.json';

interface SecretsFile {
  version: 1;
  secrets: Record<string, string>;
}

/** The file store; `path` is shown to the user in warnings and errors. */
export interface FileSecretStore extends SecretStore {
  readonly backend: 'file';
  readonly path: string;
  /** Names of the stored secrets (for moving them into the keychain once it is available). */
  names(): Promise<string[]>;
}

/** Creates the store for `dir` (created with mode 0700 on first write). */
export function createFileSecretStore(dir: string): FileSecretStore {
  const path = join(dir, SECRETS_FILE_NAME);
  let queue: Promise<unknown> = Promise.resolve();
  // One operation at a time, so two concurrent sets cannot lose each other's update.
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => undefined);
    return run;
  };
  const update = (name: string, change: (secrets: Record<string, string>) => boolean) =>
    serial(async () => {
      assertSecretName(name, 'file');
      const secrets = await readSecrets(path);
      if (!change(secrets)) return;
      // The last secret gone: no file at all is the clearest state (nothing to guard, nothing to migrate).
      if (Object.keys(secrets).length === 0)
        await unlink(path).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw ioError(path, 'write', err);
        });
      else await writeSecrets(dir, path, secrets);
    });

  return {
    backend: 'file',
    path,
    get: (name) =>
      serial(async () => {
        assertSecretName(name, 'file');
        const secrets = await readSecrets(path);
        return Object.hasOwn(secrets, name) ? (secrets[name] as string) : null;
      }),
    set: (name, value) =>
      update(name, (secrets) => {
        secrets[name] = value;
        return true;
      }),
    delete: (name) => update(name, (secrets) => Object.hasOwn(secrets, name) && delete secrets[name]),
    names: () => serial(async () => Object.keys(await readSecrets(path))),
  };
}

async function readSecrets(path: string): Promise<Record<string, string>> {
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: a symlink planted in place of the file must not redirect the read.
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return {};
    if (code === 'ELOOP')
      throw new SecretStoreError(
        'insecure_permissions',
        'file',
        `Refusing to use ${path}: it is a symbolic link. Replace it with a regular file (mode 0600).`,
        { path, cause: err },
      );
    throw ioError(path, 'read', err);
  }
  try {
    const st = await handle.stat();
    checkOwnerOnly(path, st.mode, st.uid);
    const text = await handle.readFile('utf8');
    return parseSecrets(path, text);
  } finally {
    await handle.close();
  }
}

/** Refuses a file others can read or write, or one owned by another user (POSIX only). */
function checkOwnerOnly(path: string, mode: number, uid: number): void {
  if (process.platform === 'win32') return;
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new SecretStoreError(
      'insecure_permissions',
      'file',
      `Refusing to use ${path}: its mode is ${octal}, so other users could read the secrets. Run \`chmod 600 ${path}\` and try again (and rotate the secrets if others may have read them).`,
      { path },
    );
  }
  const me = process.getuid?.();
  if (me !== undefined && uid !== me) {
    throw new SecretStoreError(
      'insecure_permissions',
      'file',
      `Refusing to use ${path}: it is owned by uid ${uid}, not by you (uid ${me}). Run \`chown ${me} ${path}\` if it is yours.`,
      { path },
    );
  }
}

function parseSecrets(path: string, text: string): Record<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw corrupt(path, err);
  }
  const file = data as Partial<SecretsFile> | null;
  if (typeof file !== 'object' || file === null || file.version !== 1 || typeof file.secrets !== 'object' || file.secrets === null) throw corrupt(path);
  const secrets: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(file.secrets)) {
    if (typeof value !== 'string') throw corrupt(path);
    secrets[name] = value;
  }
  return secrets;
}

async function writeSecrets(dir: string, path: string, secrets: Record<string, string>): Promise<void> {
  const body: SecretsFile = { version: 1, secrets };
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Created 0600 from the first byte ('wx' also refuses to reuse an existing temp file).
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(body, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await syncDir(dir);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw ioError(path, 'write', err);
  }
}

/** Makes the rename durable. Windows cannot open directories, and does not need this. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function corrupt(path: string, cause?: unknown): SecretStoreError {
  return new SecretStoreError('corrupt', 'file', `${path} is not a Reins secrets file. Move it aside and set the secrets again (\`reins telegram setup\`).`, {
    path,
    cause,
  });
}

function ioError(path: string, what: 'read' | 'write', err: unknown): SecretStoreError {
  if (err instanceof SecretStoreError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SecretStoreError('io', 'file', `Could not ${what} ${path} (${detail}). Check that the data directory exists and is writable by you.`, {
    path,
    cause: err,
  });
}
