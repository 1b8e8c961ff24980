import type { AutomationSource, SessionMode, Webhook } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

interface WebhookRow {
  id: string;
  name: string;
  project: string;
  agent: string;
  mode: string;
  prompt_template: string;
  secret_env: string | null;
  source: string;
  created_at: number;
}

/** A webhook as stored: the API shape plus the environment variable its secret may come from. */
export interface StoredWebhook extends Webhook {
  secretEnv: string | null;
}

const toWebhook = (r: WebhookRow): StoredWebhook => ({
  id: r.id,
  name: r.name,
  project: r.project,
  agent: r.agent,
  mode: r.mode as SessionMode,
  promptTemplate: r.prompt_template,
  source: r.source as AutomationSource,
  secretFrom: r.secret_env === null ? 'store' : 'env',
  secretEnv: r.secret_env,
  createdAt: r.created_at,
});

/** Webhook definitions by name, and the signatures of deliveries already accepted. */
export function createWebhooksRepo(db: Db) {
  const all = db.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY name');
  const byName = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE name = ?');
  const upsert = db.prepare(
    `INSERT INTO webhooks (id, name, project, agent, mode, prompt_template, secret_env, source, created_at)
     VALUES (@id, @name, @project, @agent, @mode, @promptTemplate, @secretEnv, @source, @createdAt)
     ON CONFLICT (name) DO UPDATE SET project = excluded.project, agent = excluded.agent, mode = excluded.mode,
       prompt_template = excluded.prompt_template, secret_env = excluded.secret_env, source = excluded.source`,
  );
  const del = db.prepare('DELETE FROM webhooks WHERE name = ?');
  const seen = db.prepare('INSERT OR IGNORE INTO webhook_deliveries (webhook, signature, timestamp, received_at) VALUES (?, ?, ?, ?)');
  const prune = db.prepare('DELETE FROM webhook_deliveries WHERE received_at < ?');
  return {
    list(): StoredWebhook[] {
      return all.all().map(toWebhook);
    },
    get(name: string): StoredWebhook | undefined {
      const row = byName.get(name);
      return row && toWebhook(row);
    },
    put(w: StoredWebhook): void {
      upsert.run(w);
    },
    delete(name: string): boolean {
      return del.run(name).changes === 1;
    },
    /** Records an accepted delivery's signature; false when it was already recorded (a replay). */
    recordDelivery(webhook: string, signature: string, timestamp: number, receivedAt: number): boolean {
      return seen.run(webhook, signature, timestamp, receivedAt).changes === 1;
    },
    /** Forgets deliveries received before `before` (older than the acceptance window). */
    pruneDeliveries(before: number): void {
      prune.run(before);
    },
  };
}
