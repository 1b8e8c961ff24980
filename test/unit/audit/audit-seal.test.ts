/**
 * The sealed audit log against every way of tampering with the database the review tried: an
 * edited entry, an edited entry with the whole chain recomputed, reordered and deleted entries, a
 * cut tail, an emptied table, and a log whose key or head went missing. Real SQLite file; the seal
 * (key and head) in a real file secret store, as on a machine without a keychain.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditSecretNames,
  createAuditLog,
  legacyHash,
  loadAuditSeal,
  readAuditSeal,
  verifyAuditLog,
  type AuditLog,
} from '../../../src-main/core/audit/index.ts';
import { createFileSecretStore } from '../../../src-main/core/secrets/file-secret-store.ts';
import type { SecretStore } from '../../../src-main/core/secrets/index.ts';
import { openStore, type AuditRecord, type Store } from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let store: Store;
let secrets: SecretStore;
let home: string;
let t = 1000;
const clock = { now: () => t++ };

beforeEach(() => {
  dir = tempDir('reins-audit-');
  home = dir.path;
  store = openStore(join(home, 'reins.db'));
  secrets = createFileSecretStore(join(home, 'secrets'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

async function seeded(n: number): Promise<AuditLog> {
  const log = createAuditLog(store, clock, await loadAuditSeal(secrets, home, () => undefined));
  for (let i = 0; i < n; i++) log.append({ type: 'approval.decided', actor: 'owner', surface: 'api', subject: `a${i}`, detail: { i } });
  await log.close();
  return log;
}

/** What `reins audit verify` sees: the database and the seal as stored. */
const verify = async () => verifyAuditLog(store, await readAuditSeal(secrets, home));
const row = (seq: number) => store.db.prepare('SELECT * FROM audit WHERE seq = ?').get(seq) as Record<string, unknown>;
const asRecord = (r: Record<string, unknown>): Omit<AuditRecord, 'hash'> => ({
  seq: r.seq as number,
  ts: r.ts as number,
  type: r.type as string,
  actor: r.actor as string,
  surface: r.surface as string,
  subject: r.subject as string | null,
  detailJson: r.detail as string,
  prevHash: r.prev_hash as string,
});

describe('the sealed audit log', () => {
  it('verifies an untouched log against the key and head in the secret store', async () => {
    await seeded(50);
    expect(await verify()).toMatchObject({ ok: true, entries: 50 });
  });

  it('detects an edited entry and names it', async () => {
    await seeded(10);
    store.db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 4").run();
    expect(await verify()).toMatchObject({ ok: false, damage: 'edited', brokenAt: 4, entries: 3 });
  });

  it('detects an edit whose whole chain was recomputed without the key', async () => {
    await seeded(10);
    // The attacker rewrites entry 4 and recomputes every hash after it, as the old SHA-256 chain allowed.
    let prev = row(3).hash as string;
    for (let seq = 4; seq <= 10; seq++) {
      const r = { ...asRecord(row(seq)), prevHash: prev, ...(seq === 4 ? { actor: 'mallory' } : {}) };
      const hash = legacyHash(r);
      store.db.prepare('UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(r.actor, prev, hash, seq);
      prev = hash;
    }
    expect(await verify()).toMatchObject({ ok: false, damage: 'recomputed', brokenAt: 4 });
  });

  it('detects a deleted entry in the middle', async () => {
    await seeded(10);
    store.db.prepare('DELETE FROM audit WHERE seq = 6').run();
    expect(await verify()).toMatchObject({ ok: false, damage: 'missing', brokenAt: 6, entries: 5 });
  });

  it('detects reordered entries', async () => {
    await seeded(10);
    // Swap the contents of entries 5 and 6 (seq numbers stay in order).
    const five = row(5);
    const six = row(6);
    const put = store.db.prepare('UPDATE audit SET ts = ?, type = ?, actor = ?, surface = ?, subject = ?, detail = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    store.transaction(() => {
      put.run(six.ts, six.type, six.actor, six.surface, six.subject, six.detail, six.prev_hash, six.hash, 5);
      put.run(five.ts, five.type, five.actor, five.surface, five.subject, five.detail, five.prev_hash, five.hash, 6);
    });
    expect(await verify()).toMatchObject({ ok: false, damage: 'out-of-order', brokenAt: 5 });
  });

  it('detects a cut tail', async () => {
    await seeded(10);
    store.db.prepare('DELETE FROM audit WHERE seq > 7').run();
    expect(await verify()).toMatchObject({ ok: false, damage: 'truncated', brokenAt: 8, entries: 7 });
  });

  it('detects an emptied table', async () => {
    await seeded(10);
    store.db.prepare('DELETE FROM audit').run();
    expect(await verify()).toMatchObject({ ok: false, damage: 'emptied' });
  });

  it('detects a tail cut and written again (same count, other entries)', async () => {
    await seeded(10);
    store.db.prepare('DELETE FROM audit WHERE seq > 8').run();
    // A fresh log object over the cut table, with the stale seal: it appends two entries of its own.
    const log = createAuditLog(store, clock, { ...(await loadAuditSeal(secrets, home, () => undefined)), recordHead: () => undefined });
    log.append({ type: 'x', actor: 'mallory', surface: 'api' });
    log.append({ type: 'x', actor: 'mallory', surface: 'api' });
    expect(await verify()).toMatchObject({ ok: false, damage: 'replaced', brokenAt: 10 });
  });

  it('reports a missing key and a missing head instead of passing', async () => {
    await seeded(5);
    const { head, key } = auditSecretNames(home);
    await secrets.delete(head);
    expect(await verify()).toMatchObject({ ok: false, damage: 'head-missing' });
    await secrets.delete(key);
    expect(await verify()).toMatchObject({ ok: false, damage: 'key-missing' });
  });

  it('reports an unreadable key or head as such', async () => {
    await seeded(5);
    const { head, key } = auditSecretNames(home);
    await secrets.set(head, '{"count":');
    expect(await verify()).toMatchObject({ ok: false, damage: 'head-missing', problem: expect.stringMatching(/head .* is unreadable/) });
    await secrets.set(key, 'c2hvcnQ');
    expect(await verify()).toMatchObject({ ok: false, damage: 'key-missing', problem: expect.stringMatching(/key .* is unreadable/) });
  });

  it('a head deleted to hide a cut tail stays visible after the next start', async () => {
    await seeded(10);
    // The attacker cuts the tail and deletes the head that would reveal it, then waits for a restart.
    store.db.prepare('DELETE FROM audit WHERE seq > 7').run();
    await secrets.delete(auditSecretNames(home).head);
    const restarted = createAuditLog(store, clock, await loadAuditSeal(secrets, home, () => undefined));
    restarted.append({ type: 'core.started', actor: 'reins', surface: 'core' });
    await restarted.close();
    expect(await verify()).toMatchObject({ ok: false, damage: 'head-missing', brokenAt: 8, problem: expect.stringMatching(/no head was recorded/) });
  });

  it('a lost key is sealed again at the next start, and the entries it sealed are named as unverifiable', async () => {
    await seeded(6);
    await secrets.delete(auditSecretNames(home).key);
    const warnings: string[] = [];
    const restarted = createAuditLog(store, clock, await loadAuditSeal(secrets, home, () => undefined), (m) => warnings.push(m));
    expect(restarted.recent(1)[0]).toMatchObject({ seq: 7, type: 'audit.resealed', detail: { previousEntries: 6 } });
    expect(warnings.join()).toMatch(/audit key .* missing/);
    restarted.append({ type: 'core.started', actor: 'reins', surface: 'core' });
    await restarted.close();
    expect(await verify()).toMatchObject({
      ok: false,
      damage: 'key-missing',
      brokenAt: 7,
      entries: 8,
      problem: expect.stringMatching(/entries 1–6 were sealed with a key/),
    });
    // Damage after the new seal still comes first.
    store.db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 8").run();
    expect(await verify()).toMatchObject({ ok: false, damage: 'edited', brokenAt: 8 });
  });

  it('accepts entries past a lagging head only when they chain under the key', async () => {
    const log = await seeded(5);
    // A crash right after two appends: the head in the secret store still says 5.
    const noHead = createAuditLog(store, clock, { ...(await loadAuditSeal(secrets, home, () => undefined)), recordHead: () => undefined });
    noHead.append({ type: 'late', actor: 'reins', surface: 'core' });
    noHead.append({ type: 'late', actor: 'reins', surface: 'core' });
    const result = await verify();
    expect(result).toMatchObject({ ok: true, entries: 7 });
    expect(result.ok && result.notes.join()).toMatch(/2 entries after the recorded head/);
    expect(log.recent(1)[0]?.seq).toBe(7);
  });

  it('seals a log written before it was keyed, keeping its history checkable', async () => {
    // An old log: plain SHA-256 chain, no key or head anywhere.
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const r = { seq, ts: seq, type: 'old', actor: 'owner', surface: 'api', subject: null, detailJson: '{}', prevHash: prev };
      const hash = legacyHash(r);
      store.audit.insert({ ...r, hash });
      prev = hash;
    }
    const log = await seeded(2);
    const sealed = log.recent(10).find((e) => e.type === 'audit.sealed');
    expect(sealed).toMatchObject({ seq: 4, detail: { previousEntries: 3, previousChainOk: true } });
    const result = await verify();
    expect(result).toMatchObject({ ok: true, entries: 6, keyedFrom: 4 });
    store.db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 2").run();
    expect(await verify()).toMatchObject({ ok: false, damage: 'edited', brokenAt: 2 });
    // Without the key, the old entries' plain hashes can be recomputed; the keyed entry that sealed them cannot.
    let rewritten = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const r = { ...asRecord(row(seq)), prevHash: rewritten };
      const hash = legacyHash(r);
      store.db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(rewritten, hash, seq);
      rewritten = hash;
    }
    expect(await verify()).toMatchObject({ ok: false, damage: 'recomputed', brokenAt: 4, problem: expect.stringMatching(/before the log was keyed/) });
    // The key and the head gone too: the sealing entry still says where the keyed part starts.
    await secrets.delete(auditSecretNames(home).head);
    expect(await verify()).toMatchObject({ ok: false, damage: 'recomputed', brokenAt: 4 });
  });
});
