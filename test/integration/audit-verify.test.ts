/**
 * `reins audit verify` (the real CLI process) on a real data directory written by a real core, whose
 * key and head sit in the secret store: every kind of tampering the review tried is named, with the
 * entry where it starts.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src-main/contract/index.ts';
import { legacyHash } from '../../src-main/core/audit/index.ts';
import { openDatabase } from '../../src-main/core/store/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const exec = promisify(execFile);

async function verify(home: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await exec(process.execPath, [CLI, 'audit', 'verify', '--home', home], { timeout: 30_000 });
    return { code: 0, out: stdout };
  } catch (e) {
    const x = e as { code: number; stdout: string };
    return { code: x.code, out: x.stdout };
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A data directory with a few real entries (a session, its decisions), its core stopped. */
async function writtenLog(): Promise<string> {
  h = await startHarness();
  const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'RUN: touch a.txt' });
  const a = await h.api.waitApproval(session.id);
  await h.api.post(`/approvals/${a.id}/decision`, { decision: 'allow' });
  await h.api.waitTurnEnd(session.id);
  await h.daemon.stop();
  return h.home;
}

function tamper(home: string, sql: (db: ReturnType<typeof openDatabase>) => void): number {
  const db = openDatabase(`${home}/reins.db`);
  try {
    sql(db);
    return (db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('reins audit verify', () => {
  it('passes an untouched log', async () => {
    const home = await writtenLog();
    const r = await verify(home);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Audit log intact: \d+ entries, sealed with the key in (the OS keychain|secrets\.json)/);
  });

  it('names an edited entry whose chain was recomputed without the key', async () => {
    const home = await writtenLog();
    tamper(home, (db) => {
      const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as Record<string, string | number | null>[];
      let prev = rows[1]!.hash as string;
      for (const r of rows.slice(2)) {
        const rec = {
          seq: r.seq as number,
          ts: r.ts as number,
          type: r.type as string,
          actor: r.seq === 3 ? 'mallory' : (r.actor as string),
          surface: r.surface as string,
          subject: r.subject as string | null,
          detailJson: r.detail as string,
          prevHash: prev,
        };
        const hash = legacyHash(rec);
        db.prepare('UPDATE audit SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(rec.actor, prev, hash, rec.seq);
        prev = hash;
      }
    });
    const r = await verify(home);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DAMAGED at entry 3 \(recomputed\): entry 3 was rewritten and the chain recomputed without the key/);
  });

  it('names a cut tail', async () => {
    const home = await writtenLog();
    const left = tamper(home, (db) => db.prepare('DELETE FROM audit WHERE seq > 3').run());
    const r = await verify(home);
    expect(left).toBe(3);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DAMAGED at entry 4 \(truncated\): the last \d+ entries \(4–\d+\) were deleted/);
  });

  it('names an emptied table', async () => {
    const home = await writtenLog();
    tamper(home, (db) => db.prepare('DELETE FROM audit').run());
    const r = await verify(home);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\(emptied\): the audit table was emptied/);
  });
});
