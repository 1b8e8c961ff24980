import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSecretStore, SecretStoreError } from '../../../src-main/core/secrets/index.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'reins-secrets-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

async function rejection(p: Promise<unknown>): Promise<SecretStoreError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretStoreError);
  return err as SecretStoreError;
}

describe('file secret store', () => {
  it('stores, overwrites and deletes secrets, and reads them back in a new instance', async () => {
    const dir = join(root, 'data');
    const store = createFileSecretStore(dir);
    expect(store.backend).toBe('file');
    expect(await store.get('bot-token')).toBeNull();
    expect(existsSync(dir)).toBe(false);

    await store.set('bot-token', '123:abc');
    await store.set('signing.key', 'k1');
    await store.set('bot-token', '123:def');
    expect(await store.get('bot-token')).toBe('123:def');
    expect(await createFileSecretStore(dir).get('signing.key')).toBe('k1');

    await store.delete('bot-token');
    await store.delete('never-set');
    expect(await store.get('bot-token')).toBeNull();
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({ version: 1, secrets: { 'signing.key': 'k1' } });
  });

  it('does not mistake object prototype names for secrets', async () => {
    const store = createFileSecretStore(root);
    await store.set('a', 'b');
    expect(await store.get('constructor')).toBeNull();
    expect(await store.get('__proto__')).toBeNull();
  });

  it('creates the file 0600 and a new data directory 0700, even under a permissive umask', async () => {
    const dir = join(root, 'nested', 'data');
    const before = process.umask(0);
    try {
      await createFileSecretStore(dir).set('x', 'y');
    } finally {
      process.umask(before);
    }
    expect(mode(join(dir, 'secrets.json'))).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });

  it.each(['0644', '0640', '0604', '0620', '0666'])('refuses a file with mode %s and says how to fix it', async (octal) => {
    const loose = Number.parseInt(octal, 8);
    const store = createFileSecretStore(root);
    await store.set('bot-token', 'secret');
    chmodSync(store.path, loose);
    const err = await rejection(store.get('bot-token'));
    expect(err.code).toBe('insecure_permissions');
    expect(err.path).toBe(store.path);
    expect(err.message).toContain(`chmod 600 ${store.path}`);
    expect(err.message).toContain(`mode is ${octal}`);
    expect((await rejection(store.set('other', 'v'))).code).toBe('insecure_permissions');
    chmodSync(store.path, 0o600);
    expect(await store.get('bot-token')).toBe('secret');
  });

  it('refuses a symbolic link in place of the file', async () => {
    const target = join(root, 'elsewhere.json');
    writeFileSync(target, JSON.stringify({ version: 1, secrets: { a: 'planted' } }), { mode: 0o600 });
    const dir = join(root, 'data');
    const store = createFileSecretStore(dir);
    await store.set('x', 'y');
    rmSync(store.path);
    symlinkSync(target, store.path);
    const err = await rejection(store.get('a'));
    expect(err.code).toBe('insecure_permissions');
    expect(err.message).toMatch(/symbolic link/);
  });

  it('reports a corrupt file instead of starting empty', async () => {
    const store = createFileSecretStore(root);
    for (const body of ['{not json', '[]', '{"version":2,"secrets":{}}', '{"version":1,"secrets":{"a":1}}']) {
      writeFileSync(store.path, body, { mode: 0o600 });
      chmodSync(store.path, 0o600);
      const err = await rejection(store.get('a'));
      expect(err.code).toBe('corrupt');
      expect(err.message).toMatch(/Move it aside/);
    }
  });

  it('rejects invalid names', async () => {
    const store = createFileSecretStore(root);
    for (const name of ['', 'has space', 'a/b', 'x'.repeat(129)]) expect((await rejection(store.set(name, 'v'))).code).toBe('invalid_name');
  });

  it('replaces the file atomically: new inode, no temp files left, readers never see a partial file', async () => {
    const store = createFileSecretStore(root);
    await store.set('seed', 'v');
    const inode = statSync(store.path).ino;
    await store.set('seed', 'v2');
    expect(statSync(store.path).ino).not.toBe(inode);

    // A leftover temp file from a crashed writer is ignored and not reused.
    writeFileSync(`${store.path}.99999.deadbeef0000.tmp`, '{"version":1,"secrets":{"seed":"stale"}}', { mode: 0o600 });

    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const text = await readFile(store.path, 'utf8');
        expect(() => JSON.parse(text)).not.toThrow();
        reads++;
      }
    })();
    const big = 'x'.repeat(16 * 1024);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `${i}:${big}`)));
    reading = false;
    await reader;

    expect(reads).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect(await store.get(`k${i}`)).toBe(`${i}:${big}`);
    expect(await store.get('seed')).toBe('v2');
    expect(readdirSync(root).sort()).toEqual(['secrets.json', 'secrets.json.99999.deadbeef0000.tmp']);
    expect(mode(store.path)).toBe(0o600);
  });
});
