/**
 * Webhooks: named endpoints whose signed deliveries start a session. A definition comes from
 * config.json or `reins webhook add`; its signing secret comes from an environment variable
 * (`secretEnv`, config only) or the secret store (`webhook.<name>`), created by Reins and shown once.
 * A delivery is accepted only with a valid signature, a fresh timestamp and a signature not seen
 * before; every acceptance and refusal is audited (refusals at most once a second per reason).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  addWebhookBody,
  type Actor,
  type AddWebhookBody,
  type AuditInput,
  type Webhook,
  type WebhookDelivery,
  type WebhookSecretResponse,
} from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, InvalidRequestError, ReinsError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { SecretStore } from '../secrets/index.ts';
import { resolveProjectDir } from '../sessions/project-dir.ts';
import type { Store, StoredWebhook } from '../store/index.ts';
import type { z } from 'zod';
import type { webhookConfig } from './config-schema.ts';
import { fillPromptTemplate } from './prompt-template.ts';
import { checkWebhookSignature, WEBHOOK_WINDOW_MS } from './webhook-signature.ts';

/** Largest delivery body accepted. */
export const WEBHOOK_MAX_BODY_BYTES = 256 * 1024;
/** Accepted signatures are remembered this long: past it, their timestamps are stale anyway. */
const REPLAY_MEMORY_MS = 3 * WEBHOOK_WINDOW_MS;

/** A delivery was refused; `reason` is for the audit log, the message for the sender. */
export class WebhookRefusedError extends ReinsError {
  override name = 'WebhookRefusedError';
  readonly reason: string;
  constructor(code: 'unauthorized' | 'conflict' | 'not_found' | 'bad_request', reason: string, message: string) {
    super(code, message);
    this.reason = reason;
  }
}

export interface WebhookServiceDeps {
  store: Pick<Store, 'webhooks' | 'transaction'>;
  clock: Clock;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Where secrets of owner-added webhooks live; without one, only `secretEnv` webhooks work. */
  secrets: SecretStore | null;
  audit(input: AuditInput): unknown;
  agentKnown(agent: string): boolean;
  /** Starts the session of an accepted delivery; returns its id. */
  start(webhook: StoredWebhook, prompt: string, actor: Actor): string;
}

const secretName = (webhook: string): string => `webhook.${webhook}`;
const publicView = ({ secretEnv: _, ...w }: StoredWebhook): Webhook => w;

/** See {@link WebhookServiceDeps}. */
export function createWebhookService(deps: WebhookServiceDeps) {
  const { store, clock, log } = deps;
  const refusedAt = new Map<string, { at: number; folded: number }>();

  const need = (name: string): StoredWebhook => {
    const w = store.webhooks.get(name);
    if (!w) throw new ReinsError('not_found', `No webhook "${name}". \`reins webhook list\` shows them.`);
    return w;
  };
  const secretStore = (): SecretStore => {
    if (!deps.secrets)
      throw new ReinsError('conflict', 'This Reins host has no secret store for webhook secrets; set secretEnv for the webhook in config.json.');
    return deps.secrets;
  };
  const newSecret = async (name: string): Promise<string> => {
    const secret = randomBytes(32).toString('base64url');
    await secretStore().set(secretName(name), secret);
    return secret;
  };

  /** Audits a refusal (folding repeats within a second) and returns the error to answer with. */
  const refuse = (webhook: string | null, err: WebhookRefusedError): WebhookRefusedError => {
    const now = clock.now();
    const key = err.reason;
    const t = refusedAt.get(key) ?? { at: -Infinity, folded: 0 };
    refusedAt.set(key, t);
    log.warn({ webhook, reason: err.reason }, 'webhook.refused');
    if (now - t.at < 1000) {
      t.folded++;
      return err;
    }
    deps.audit({ type: 'webhook.refused', actor: 'unknown', surface: 'webhook', subject: webhook, detail: { reason: err.reason, alsoRefused: t.folded } });
    t.at = now;
    t.folded = 0;
    return err;
  };

  const secretOf = async (w: StoredWebhook): Promise<string | null> => {
    if (w.secretEnv !== null) return deps.env[w.secretEnv]?.trim() || null;
    return deps.secrets ? deps.secrets.get(secretName(w.name)) : null;
  };

  return {
    list: (): Webhook[] => store.webhooks.list().map(publicView),

    /** Makes the table match config.json's `webhooks` (by name); config webhooks no longer there are removed. */
    syncFromConfig(entries: Record<string, z.output<typeof webhookConfig>>): void {
      const now = clock.now();
      for (const [name, e] of Object.entries(entries)) {
        const old = store.webhooks.get(name);
        if (old?.source === 'user') log.warn({ webhook: name }, 'webhook.config_replaces_user_webhook');
        store.webhooks.put({
          id: old?.id ?? randomUUID(),
          name,
          project: e.project,
          agent: e.agent,
          mode: e.mode,
          promptTemplate: e.promptTemplate,
          source: 'config',
          secretFrom: e.secretEnv ? 'env' : 'store',
          secretEnv: e.secretEnv ?? null,
          createdAt: old?.createdAt ?? now,
        });
      }
      for (const w of store.webhooks.list()) if (w.source === 'config' && !(w.name in entries)) store.webhooks.delete(w.name);
    },

    /** Defines a webhook and creates its secret, returned this once. */
    async add(body: AddWebhookBody, actor: Actor): Promise<WebhookSecretResponse> {
      const b = addWebhookBody.parse(body);
      if (!deps.agentKnown(b.agent)) throw new InvalidRequestError(`Reins knows no agent "${b.agent}": \`reins doctor\` lists them.`);
      const project = resolveProjectDir(b.project);
      if (store.webhooks.get(b.name)) throw new ConflictError(`A webhook named "${b.name}" exists: remove it first or pick another name.`);
      const secret = await newSecret(b.name);
      const w: StoredWebhook = { id: randomUUID(), ...b, project, source: 'user', secretFrom: 'store', secretEnv: null, createdAt: clock.now() };
      store.webhooks.put(w);
      deps.audit({ type: 'webhook.added', actor: actor.by, surface: actor.surface, subject: b.name, detail: { project, agent: b.agent, mode: b.mode } });
      return { webhook: publicView(w), secret };
    },

    /** A new secret for the webhook (the old one stops working); returned this once. */
    async rotate(name: string, actor: Actor): Promise<WebhookSecretResponse> {
      const w = need(name);
      if (w.secretEnv !== null) throw new ConflictError(`Webhook "${name}" takes its secret from ${w.secretEnv}; change it there.`);
      const secret = await newSecret(name);
      deps.audit({ type: 'webhook.secret_rotated', actor: actor.by, surface: actor.surface, subject: name, detail: {} });
      return { webhook: publicView(w), secret };
    },

    async remove(name: string, actor: Actor): Promise<Webhook> {
      const w = need(name);
      if (w.source === 'config') throw new ConflictError(`Webhook "${name}" is defined in config.json; edit it there.`);
      store.webhooks.delete(name);
      await deps.secrets?.delete(secretName(name));
      deps.audit({ type: 'webhook.removed', actor: actor.by, surface: actor.surface, subject: name, detail: {} });
      return publicView(w);
    },

    /** Checks a delivery and starts its session; throws {@link WebhookRefusedError} saying why not. */
    async deliver(name: string, d: WebhookDelivery): Promise<{ sessionId: string }> {
      const w = store.webhooks.get(name);
      // The same answer for every unknown name: the endpoint does not list what exists.
      if (!w) throw refuse(null, new WebhookRefusedError('not_found', 'unknown_webhook', 'No such webhook.'));
      const secret = await secretOf(w);
      if (secret === null) {
        const fix = w.secretEnv === null ? `run \`reins webhook rotate ${name}\`` : `set ${w.secretEnv} for Reins`;
        throw refuse(name, new WebhookRefusedError('unauthorized', 'no_secret', `This webhook has no secret yet: ${fix} on this computer.`));
      }
      const now = clock.now();
      const checked = checkWebhookSignature({ secret, timestamp: d.timestamp, signature: d.signature, body: d.body, now });
      if (!checked.ok) throw refuse(name, new WebhookRefusedError('unauthorized', checked.reason, checked.message));
      let payload: unknown;
      try {
        payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(d.body));
      } catch {
        throw refuse(name, new WebhookRefusedError('bad_request', 'not_json', 'The body is not valid JSON.'));
      }
      const prompt = fillPromptTemplate(name, w.promptTemplate, payload);
      const fresh = store.transaction(() => {
        store.webhooks.pruneDeliveries(now - REPLAY_MEMORY_MS);
        return store.webhooks.recordDelivery(name, checked.signature, checked.timestampMs, now);
      });
      if (!fresh) throw refuse(name, new WebhookRefusedError('conflict', 'replayed', 'This delivery was already accepted; sign each delivery anew.'));
      const actor: Actor = { by: `webhook:${name}`, surface: 'webhook' };
      const sessionId = deps.start(w, prompt, actor);
      deps.audit({
        type: 'webhook.accepted',
        actor: actor.by,
        surface: 'webhook',
        subject: sessionId,
        detail: { webhook: name, timestamp: checked.timestampMs, bytes: d.body.length },
      });
      return { sessionId };
    },
  };
}
