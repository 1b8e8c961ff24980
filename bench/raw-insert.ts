import { once } from 'node:events';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openStore } from '../src-main/core/store/index.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';

/** A row of the `events` table, as Reins stored it. */
export interface EventRow {
  seq: number;
  ts: number;
  kind: string;
  payload: string;
}

/** How the baseline commits: `batchRows` rows per transaction, or every row on its own. */
export type Commit = { batchRows: number } | 'autocommit';

interface Job {
  rawInsert: { rows: readonly EventRow[]; commit: Commit };
}

/**
 * Rows per second for inserting `rows`, already serialised, into a fresh Reins database (same
 * schema, indexes and pragmas: it is opened and migrated like the real one) with a prepared
 * single-row INSERT: no parsing, no normalising, nothing published. The baselines for ingestion.
 * Runs in a worker thread: seconds of synchronous inserts on this thread would stall the core
 * under test, whose keep-alive timers then close sockets the API client is about to reuse.
 */
export async function rawInsertRate(rows: readonly EventRow[], commit: Commit): Promise<number> {
  const job: Job = { rawInsert: { rows, commit } };
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const exited = once(worker, 'exit');
  const [rate] = (await once(worker, 'message')) as [number];
  await exited;
  return rate;
}

function insertRate(rows: readonly EventRow[], commit: Commit): number {
  const dir = tempDir('reins-bench-insert-');
  const store = openStore(join(dir.path, 'reins.db'));
  try {
    const project = store.projects.ensure(dir.path, Date.now());
    const sessionId = 'bench-raw-insert';
    store.sessions.insert({
      id: sessionId,
      projectId: project.id,
      agent: 'claude',
      mode: 'ask',
      state: 'running',
      title: 'raw insert',
      name: 'raw-insert',
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
    const insert = store.db.prepare('INSERT INTO events (session_id, seq, ts, kind, payload) VALUES (?, ?, ?, ?, ?)');
    const one = (r: EventRow): unknown => insert.run(sessionId, r.seq, r.ts, r.kind, r.payload);
    const batch = store.db.transaction((part: readonly EventRow[]) => part.forEach(one));
    const t0 = performance.now();
    if (commit === 'autocommit') rows.forEach(one);
    else for (let i = 0; i < rows.length; i += commit.batchRows) batch(rows.slice(i, i + commit.batchRows));
    return rows.length / ((performance.now() - t0) / 1000);
  } finally {
    store.close();
    dir.remove();
  }
}

if (!isMainThread && (workerData as Partial<Job> | null)?.rawInsert) {
  const { rows, commit } = (workerData as Job).rawInsert;
  parentPort!.postMessage(insertRate(rows, commit));
}
