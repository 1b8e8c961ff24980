/**
 * The passcode service on a real SQLite file: only an argon2id hash is stored, the right passcode
 * passes, five wrong ones lock (and the lock survives reopening the file), the lock ends on the
 * injected clock, and every outcome is audited without the passcode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../src-main/contract/index.ts';
import { createAuditLog, memoryAuditSeal } from '../../../src-main/core/audit/index.ts';
import { InvalidRequestError } from '../../../src-main/core/errors.ts';
import { createBus } from '../../../src-main/core/events/bus.ts';
import { createEventLog } from '../../../src-main/core/events/event-log.ts';
import { createUnitOfWork } from '../../../src-main/core/events/unit-of-work.ts';
import { silentLogger } from '../../../src-main/core/log.ts';
import { createPasscodeService, PASSCODE_LOCK_MS } from '../../../src-main/core/passcode/index.ts';
import { openStore, type Store } from '../../../src-main/core/store/index.ts';
import { seedSession } from '../../helpers/seed-session.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const PASSCODE = 'blue-otter-42';
const actor = { by: 'telegram:7', surface: 'telegram' as const };
let dir: ReturnType<typeof tempDir>;
let store: Store;
let now: number;
const clock = { now: () => now };

/** The service over the store file, as the core builds it (reopened by `reopen`). */
function open() {
  store = openStore(join(dir.path, 'reins.db'));
  const uow = createUnitOfWork(store, createBus(silentLogger));
  const audit = createAuditLog(store, clock, memoryAuditSeal());
  const events = createEventLog(store, uow, clock);
  return { audit, service: createPasscodeService({ store, transaction: uow.run, audit, events, clock }) };
}
let s: ReturnType<typeof open>;

beforeEach(() => {
  dir = tempDir('reins-passcode-');
  now = 1_700_000_000_000;
  s = open();
});
afterEach(() => {
  store.close();
  dir.remove();
});

const check = (passcode: string, sessionId?: string) => s.service.check(passcode, actor, { what: 'allow Run wipefs --version', sessionId });
const wrongTimes = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await check(`wrong-${i}-try`);
};

describe('passcode service', () => {
  it('stores an argon2id PHC string, never the passcode, and checks it', async () => {
    expect(s.service.status()).toMatchObject({ set: false, lockedUntil: null, failedTries: 0, maxTries: 5 });
    expect(await check(PASSCODE)).toEqual({ ok: false, reason: 'not_set' });
    const status = await s.service.set(PASSCODE, { by: 'cli-client', surface: 'cli' });
    expect(status).toMatchObject({ set: true, setAt: now });
    const { hash } = store.passcode.get();
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain(PASSCODE);
    expect(await check(PASSCODE)).toEqual({ ok: true });
    expect(await check('blue-otter-43')).toEqual({ ok: false, reason: 'wrong', triesLeft: 4 });
    // A right try starts the count over.
    expect(await check(PASSCODE)).toEqual({ ok: true });
    expect(s.service.status().failedTries).toBe(0);
    const types = s.audit.recent(100).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['passcode.set', 'passcode.accepted', 'passcode.rejected']));
    expect(JSON.stringify(s.audit.recent(100))).not.toContain(PASSCODE);
  });

  it('refuses a short passcode and one with outer spaces', async () => {
    await expect(s.service.set('12345', actor)).rejects.toThrow(InvalidRequestError);
    await expect(s.service.set(' 123456', actor)).rejects.toThrow(/spaces/);
    expect(s.service.status().set).toBe(false);
  });

  it('five wrong tries lock, even for the right passcode, across a reopened store; the lock ends on the clock', async () => {
    await s.service.set(PASSCODE, actor);
    await wrongTimes(4);
    expect(s.service.status()).toMatchObject({ failedTries: 4, lockedUntil: null });
    expect(await check('fifth-wrong')).toEqual({ ok: false, reason: 'locked', lockedUntil: now + PASSCODE_LOCK_MS });
    expect(await check(PASSCODE)).toEqual({ ok: false, reason: 'locked', lockedUntil: now + PASSCODE_LOCK_MS });
    const locked = s.audit.recent(100).find((e) => e.type === 'passcode.locked');
    expect(locked).toMatchObject({ actor: 'telegram:7', surface: 'telegram', detail: { lockedUntil: now + PASSCODE_LOCK_MS, tries: 5 } });

    // A restart does not give a guesser fresh tries.
    store.close();
    s = open();
    expect(s.service.status()).toMatchObject({ set: true, lockedUntil: now + PASSCODE_LOCK_MS });
    expect(await check(PASSCODE)).toMatchObject({ ok: false, reason: 'locked' });

    now += PASSCODE_LOCK_MS - 1;
    expect(await check(PASSCODE)).toMatchObject({ ok: false, reason: 'locked' });
    now += 1;
    expect(s.service.status()).toMatchObject({ lockedUntil: null, failedTries: 0 });
    // After the lock, five fresh tries: four wrong ones do not lock again.
    await wrongTimes(4);
    expect(s.service.status()).toMatchObject({ lockedUntil: null, failedTries: 4 });
    expect(await check(PASSCODE)).toEqual({ ok: true });
  });

  it('a lock about a session is told in its transcript as a status line', async () => {
    store.close();
    const sessionId = seedSession({ home: dir.path, cwd: dir.path, title: 'seeded', events: 0 });
    s = open();
    await s.service.set(PASSCODE, actor);
    await wrongTimes(4);
    await check('fifth-wrong', sessionId);
    const statuses = store.events.page(sessionId, 0, 100).filter((e): e is Extract<SessionEvent, { kind: 'status' }> => e.kind === 'status');
    expect(statuses.at(-1)?.payload.detail).toMatch(/^phone approvals locked until .* after 5 wrong passcodes; decide on the desktop or the CLI$/);
  });

  it('clearing removes the hash and the lock; setting again starts over; the file never holds the passcode', async () => {
    await s.service.set(PASSCODE, actor);
    await wrongTimes(5);
    expect(s.service.status().lockedUntil).not.toBeNull();
    expect(s.service.clear({ by: 'cli-client', surface: 'cli' })).toMatchObject({ set: false, lockedUntil: null });
    expect(store.passcode.get()).toEqual({ hash: null, setAt: null, failedTries: 0, lockedUntil: null });
    await s.service.set('another-one', actor);
    expect(await check(PASSCODE)).toMatchObject({ reason: 'wrong' });
    expect(await check('another-one')).toEqual({ ok: true });
    expect(s.audit.recent(100).map((e) => e.type)).toEqual(expect.arrayContaining(['passcode.cleared', 'passcode.set']));
    // The database and its write-ahead log as they are on disk while open.
    const bytes = Buffer.concat(['reins.db', 'reins.db-wal'].map((f) => readFileSync(join(dir.path, f))));
    expect(bytes.includes(Buffer.from('$argon2id$'))).toBe(true);
    expect(bytes.includes(Buffer.from(PASSCODE))).toBe(false);
    expect(bytes.includes(Buffer.from('another-one'))).toBe(false);
  });
});
