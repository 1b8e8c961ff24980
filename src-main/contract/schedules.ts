/**
 * Schedules (cron expressions in a time zone that start a session) and webhooks (signed HTTP
 * deliveries that start one): their shapes in the API and the bodies that create them.
 */
import { z } from 'zod';
import { AGENT_ID_PATTERN, SESSION_MODES, type AgentId, type SessionMode } from './domain.ts';

/** A schedule's or webhook's name: it appears in URLs, secret names and chat buttons. */
export const AUTOMATION_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const name = z.string().regex(AUTOMATION_NAME_PATTERN, 'a name: 1–40 lower-case letters, digits, "-" or "_"');
const agent = z.string().regex(AGENT_ID_PATTERN, 'an agent id: lower-case letters, digits and dashes');

/** Where a schedule or webhook is defined: config.json (read-only elsewhere) or by the owner (CLI, window). */
export type AutomationSource = 'config' | 'user';

/** A cron expression that starts a session in `project` whenever it matches, in `timeZone`. */
export interface Schedule {
  id: string;
  name: string;
  /** Five fields: minute hour day-of-month month day-of-week. */
  cron: string;
  /** IANA time zone the expression is read in (`Europe/Berlin`). */
  timeZone: string;
  project: string;
  agent: AgentId;
  mode: SessionMode;
  prompt: string;
  /** A paused schedule keeps its place but starts nothing. */
  enabled: boolean;
  source: AutomationSource;
  lastRunAt: number | null;
  /** Next start, ms; null when paused or the expression never matches again. */
  nextRunAt: number | null;
  createdAt: number;
}

export const addScheduleBody = z.strictObject({
  name,
  cron: z.string().trim().min(1, 'cron must not be empty').max(200),
  timeZone: z.string().trim().min(1, 'timeZone must name an IANA time zone, e.g. Europe/Berlin').max(64),
  project: z.string().min(1, 'project must be an absolute directory'),
  agent,
  mode: z.enum(SESSION_MODES).default('ask'),
  prompt: z.string().min(1, 'prompt must not be empty').max(100_000),
});
export type AddScheduleBody = z.input<typeof addScheduleBody>;

export const scheduleEnabledBody = z.strictObject({ enabled: z.boolean() });

/** A named endpoint `POST /api/v1/webhooks/<name>` whose signed deliveries start a session. */
export interface Webhook {
  id: string;
  name: string;
  project: string;
  agent: AgentId;
  mode: SessionMode;
  /** The prompt, with `{{path.to.field}}` placeholders filled from the delivery's JSON. */
  promptTemplate: string;
  source: AutomationSource;
  /** Where its signing secret lives: an environment variable (config `secretEnv`) or the secret store. */
  secretFrom: 'env' | 'store';
  createdAt: number;
}

export const addWebhookBody = z.strictObject({
  name,
  project: z.string().min(1, 'project must be an absolute directory'),
  agent,
  mode: z.enum(SESSION_MODES).default('ask'),
  promptTemplate: z.string().min(1, 'promptTemplate must not be empty').max(50_000),
});
export type AddWebhookBody = z.input<typeof addWebhookBody>;

/** A webhook with its signing secret, shown once (on creation or rotation) and never again. */
export interface WebhookSecretResponse {
  webhook: Webhook;
  secret: string;
}

/** Headers of a delivery: unix seconds, and `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-reins-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-reins-signature';

/** One delivery as the API received it: the two headers and the raw body (the signature covers its exact bytes). */
export interface WebhookDelivery {
  timestamp: string | undefined;
  signature: string | undefined;
  body: Uint8Array;
}
