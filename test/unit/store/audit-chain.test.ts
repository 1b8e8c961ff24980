import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, hashAuditRecord, verifyAuditChain } from '../../../src-main/core/audit/index.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
let store: Store;
afterEach(() => {
  store?.close();
  dir?.remove();
});

const seeded = (n: number) => {
  dir = tempDir();
  store = openStore(join(dir.path, 'r.db'));
  let t = 1000;
  const log = createAuditLog(store, { now: () => t++ });
  for (let i = 0; i < n; i++) log.append({ type: 'approval.decided', actor: 'owner', surface: 'api', subject: `a${i}`, detail: { i } });
  return log;
};

describe('the audit hash chain', () => {
  it('verifies an untouched log', () => {
    seeded(50);
    expect(verifyAuditChain(store)).toMatchObject({ ok: true, entries: 50 });
  });

  it('detects an edited entry', () => {
    seeded(10);
    store.db.prepare("UPDATE audit SET detail = '{\"i\":99}' WHERE seq = 4").run();
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, brokenAt: 4, entries: 3 });
  });

  it('detects a deleted entry', () => {
    seeded(10);
    store.db.prepare('DELETE FROM audit WHERE seq = 6').run();
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, brokenAt: 6 });
  });

  it('detects an entry re-hashed by someone who edited it (the next link breaks)', () => {
    seeded(5);
    const row = store.audit.page(1, 1)[0]!;
    const forged = { ...row, actor: 'mallory' };
    const { hash: _old, ...rest } = forged;
    store.db.prepare('UPDATE audit SET actor = ?, hash = ? WHERE seq = 2').run('mallory', hashAuditRecord(rest));
    expect(verifyAuditChain(store)).toMatchObject({ ok: false, brokenAt: 3, entries: 2 });
  });

  it('an empty log verifies', () => {
    seeded(0);
    expect(verifyAuditChain(store)).toMatchObject({ ok: true, entries: 0 });
  });
});
