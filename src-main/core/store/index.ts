/**
 * Persistence: one SQLite file per data directory, opened with WAL, migrated on open.
 * Everything else in core reaches SQLite only through the repositories returned here.
 */
import { openDatabase, type Db } from './db.ts';
import { runMigrations } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { createAgentProcessesRepo } from './repos/agent-processes-repo.ts';
import { createApprovalsRepo } from './repos/approvals-repo.ts';
import { createAuditRepo } from './repos/audit-repo.ts';
import { createEventsRepo } from './repos/events-repo.ts';
import { createFollowupsRepo } from './repos/followups-repo.ts';
import { createGrantsRepo } from './repos/grants-repo.ts';
import { createKvRepo } from './repos/kv-repo.ts';
import { createPasscodeRepo } from './repos/passcode-repo.ts';
import { createProjectsRepo } from './repos/projects-repo.ts';
import { createSchedulesRepo } from './repos/schedules-repo.ts';
import { createSessionsRepo } from './repos/sessions-repo.ts';
import { createSpendRepo } from './repos/spend-repo.ts';
import { createWebhooksRepo } from './repos/webhooks-repo.ts';

export { openDatabase } from './db.ts';
export { runMigrations, DatabaseFromFutureError, MigrationOrderError, type Migration } from './migrate.ts';
export { MIGRATIONS } from './migrations/index.ts';
export type { StoredApproval, DecisionFields } from './repos/approvals-repo.ts';
export type { AuditRecord } from './repos/audit-repo.ts';
export type { StoredWebhook } from './repos/webhooks-repo.ts';

/** The opened, migrated database and its repositories. */
export interface Store {
  readonly db: Db;
  readonly projects: ReturnType<typeof createProjectsRepo>;
  readonly sessions: ReturnType<typeof createSessionsRepo>;
  readonly events: ReturnType<typeof createEventsRepo>;
  readonly approvals: ReturnType<typeof createApprovalsRepo>;
  readonly grants: ReturnType<typeof createGrantsRepo>;
  readonly followups: ReturnType<typeof createFollowupsRepo>;
  readonly audit: ReturnType<typeof createAuditRepo>;
  readonly kv: ReturnType<typeof createKvRepo>;
  readonly agentProcesses: ReturnType<typeof createAgentProcessesRepo>;
  readonly schedules: ReturnType<typeof createSchedulesRepo>;
  readonly webhooks: ReturnType<typeof createWebhooksRepo>;
  readonly spend: ReturnType<typeof createSpendRepo>;
  readonly passcode: ReturnType<typeof createPasscodeRepo>;
  /** Runs `fn` in one write transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** Opens the database at `path`, applies pending migrations and builds the repositories. */
export function openStore(path: string): Store {
  const db = openDatabase(path);
  try {
    runMigrations(db, MIGRATIONS, { path });
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    db,
    projects: createProjectsRepo(db),
    sessions: createSessionsRepo(db),
    events: createEventsRepo(db),
    approvals: createApprovalsRepo(db),
    grants: createGrantsRepo(db),
    followups: createFollowupsRepo(db),
    audit: createAuditRepo(db),
    kv: createKvRepo(db),
    agentProcesses: createAgentProcessesRepo(db),
    schedules: createSchedulesRepo(db),
    webhooks: createWebhooksRepo(db),
    spend: createSpendRepo(db),
    passcode: createPasscodeRepo(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => db.close(),
  };
}
