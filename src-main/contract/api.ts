/**
 * Loopback API bodies (zod schemas) and response shapes. The server validates with these;
 * clients (CLI, renderer, Telegram) share the inferred types.
 */
import { z } from 'zod';
import type { AgentCapabilities } from './action.ts';
import type { AgentId } from './domain.ts';
import { AGENT_ID_PATTERN, DELIVERIES, GRANT_SCOPES, SESSION_MODES, SESSION_NAME_MAX, SESSION_NAME_PATTERN } from './domain.ts';
import type { Approval, Followup, Grant, Session } from './domain.ts';
import type { SessionEvent } from './events.ts';

/**
 * WebSocket subprotocol prefix carrying the bearer token (`reins.bearer.<token>`): browsers cannot
 * set headers on a WebSocket, so the token travels as an offered subprotocol the server echoes back.
 */
export const WS_TOKEN_PROTOCOL_PREFIX = 'reins.bearer.';

/** A spending limit as sent: dollars and/or tokens, each positive; a missing figure is no limit of that kind. */
const budgetLimitBody = z
  .strictObject({
    costUsd: z.number().positive().max(1_000_000).optional(),
    tokens: z.number().int().positive().max(1e12).optional(),
  })
  .refine((b) => b.costUsd !== undefined || b.tokens !== undefined, 'a budget needs costUsd, tokens or both');

export const createSessionBody = z.strictObject({
  agent: z.string().regex(AGENT_ID_PATTERN, 'an agent id: lower-case letters, digits and dashes'),
  cwd: z.string().min(1, 'cwd must be an absolute project directory'),
  prompt: z.string().min(1, 'prompt must not be empty').max(200_000),
  mode: z.enum(SESSION_MODES).default('ask'),
  title: z.string().max(200).optional(),
  /** Start in the agent's plan mode: it plans first and asks for a plan approval before acting. */
  plan: z.boolean().default(false),
  /** This session's spending limit; without it the config's `budgets.session` applies. */
  budget: budgetLimitBody.optional(),
});
export type CreateSessionBody = z.input<typeof createSessionBody>;

export const sendMessageBody = z.strictObject({
  text: z.string().min(1, 'text must not be empty').max(200_000),
  delivery: z.enum(DELIVERIES).default('queue'),
});
export type SendMessageBody = z.input<typeof sendMessageBody>;

export const setModeBody = z.strictObject({ mode: z.enum(SESSION_MODES) });

/** A session name as typed: trimmed and lower-cased, then 1–32 letters, digits and inner dashes. */
export const sessionName = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a name needs at least one character')
  .max(SESSION_NAME_MAX, `a name has at most ${SESSION_NAME_MAX} characters`)
  .regex(SESSION_NAME_PATTERN, 'a name is lower-case letters, digits and dashes (not first or last), like api-2');

/** `PATCH /sessions/:id`: what to change about a session (its name). */
export const updateSessionBody = z.strictObject({ name: sessionName });
export type UpdateSessionBody = z.input<typeof updateSessionBody>;

/**
 * `scope` turns an allow into a grant: `once` (default) decides only this call. The grant covers
 * exactly this call (the approval's `grantOffer.exact`) unless `widen` picks `grantOffer.wider`.
 */
const DECISION_SCOPES = ['once', 'session', 'project'] as const;
export const decisionBody = z.strictObject({
  decision: z.enum(['allow', 'deny']),
  scope: z.enum(DECISION_SCOPES).optional(),
  widen: z.boolean().optional(),
  message: z.string().max(10_000).optional(),
  answers: z.record(z.string(), z.string()).optional(),
  /** `budget` approvals: the new limit to continue with (default: the one the approval offers). */
  budget: budgetLimitBody.optional(),
});
export type DecisionBody = z.input<typeof decisionBody>;

const grantMatcherBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('command'), command: z.string().trim().min(1) }),
  z.strictObject({ kind: z.literal('command-prefix'), prefix: z.string().trim().min(1) }),
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
  z.strictObject({ kind: z.literal('folder'), path: z.string().min(1) }),
  z.strictObject({ kind: z.literal('origin'), origin: z.string().min(1) }),
  z.strictObject({ kind: z.literal('input'), input: z.string().min(2) }),
  z.strictObject({ kind: z.literal('any') }),
]);
/** Keystrokes for a terminal session, raw (`\r` is Enter, `\x03` Ctrl-C). */
export const terminalInputBody = z.strictObject({
  data: z
    .string()
    .min(1)
    .max(64 * 1024),
});
/** `PUT /telegram/token`: a bot token from @BotFather. The answer is the bridge's status; the token is never sent back. */
export const telegramTokenBody = z.strictObject({ token: z.string().trim().min(1, 'token must not be empty').max(200) });
export type TelegramTokenBody = z.input<typeof telegramTokenBody>;

/** A terminal's size in character cells. */
export const terminalResizeBody = z.strictObject({ cols: z.number().int().min(2).max(1000), rows: z.number().int().min(2).max(1000) });

export const createGrantBody = z.strictObject({
  scope: z.enum(GRANT_SCOPES),
  sessionId: z.string().optional(),
  projectId: z.string().optional(),
  /** Project directory, as an alternative to `projectId`. */
  cwd: z.string().optional(),
  /**
   * What kind of call the grant covers: an action kind (`shell`, `read`, `write`, `edit`, `search`,
   * `fetch`) whichever agent makes it, or an agent's tool name for MCP and other tools.
   */
  tool: z.string().min(1),
  /** What the grant covers; required, so that a grant is never wider than the owner wrote. */
  matcher: grantMatcherBody,
  /** Lifetime in seconds; omitted means until revoked. */
  ttlSeconds: z
    .number()
    .int()
    .positive()
    .max(365 * 24 * 3600)
    .optional(),
});
export type CreateGrantBody = z.input<typeof createGrantBody>;

/**
 * One tool call of an agent Reins did not start, posted by the hook client (`reins hook <agent>`)
 * from the agent's own hook settings. Field names are Reins' own; the client maps each agent's.
 */
export const hookCallBody = z.strictObject({
  agent: z.string().regex(AGENT_ID_PATTERN, 'an agent id: lower-case letters, digits and dashes'),
  /** The agent's own session id (Claude/Codex/Gemini `session_id`, Cursor `conversation_id`). */
  sessionId: z.string().min(1).max(200),
  cwd: z.string().min(1).max(4096),
  transcriptPath: z.string().max(4096).nullable().default(null),
  /** The agent's tool name (Cursor: the hook event, e.g. `beforeShellExecution`). */
  tool: z.string().min(1).max(200),
  input: z.record(z.string(), z.unknown()),
  toolUseId: z.string().max(200).nullable().default(null),
  /** How long the hook can wait for an answer; the core denies (and withdraws the approval) by then. */
  budgetMs: z.number().int().min(1).max(3_600_000),
});
export type HookCallBody = z.input<typeof hookCallBody>;

/** The answer to a hook call: what the hook tells the agent. `ask` hands the call to the agent's own prompt. */
export interface HookCallResponse {
  decision: 'allow' | 'deny' | 'ask';
  reason: string;
  /** Reins' session of the agent's conversation. */
  sessionId: string;
  /** The approval the call waited for, if it needed the owner. */
  approvalId: string | null;
}

/** One agent of the registry as this machine has it: what the new-session choices and the capability table show. */
export interface AgentInfo {
  id: AgentId;
  displayName: string;
  /** The executable Reins would run, and whether it was found. */
  bin: string;
  installed: boolean;
  /** How to install it, in one line. */
  installHint: string;
  capabilities: AgentCapabilities;
  /** False when Reins' own tests could not run this agent. */
  tested: boolean;
}
export interface AgentsResponse {
  agents: AgentInfo[];
}

/** The kinds of damage audit verification tells apart. */
type AuditDamage = 'edited' | 'recomputed' | 'missing' | 'out-of-order' | 'truncated' | 'emptied' | 'replaced' | 'key-missing' | 'head-missing';

/** Result of verifying the audit log (`GET /audit/verify`). `entries` counts the entries that verified. */
export type AuditVerification =
  | { ok: true; entries: number; head: string; keyedFrom: number; notes: string[] }
  | { ok: false; entries: number; brokenAt: number | null; damage: AuditDamage; problem: string };

/** `POST /auth/login-codes`: a one-time login URL for a browser, and when it stops working. */
export interface LoginCodeResponse {
  url: string;
  expiresAt: number;
}
/** `GET /auth/session`: how this request was signed in; `expiresAt` is the cookie session's end. */
export interface AuthSessionResponse {
  via: 'token' | 'cookie';
  expiresAt: number | null;
}
export interface HealthResponse {
  ok: true;
  version: string;
  pid: number;
  startedAt: number;
}
export interface SessionListResponse {
  sessions: Session[];
}
export interface SessionResponse {
  session: Session;
  pendingApprovals: Approval[];
  followups: Followup[];
}
export interface EventsResponse {
  events: SessionEvent[];
  /** Seq to pass as `after` for the next page. */
  nextAfter: number;
  more: boolean;
}
export interface ApprovalListResponse {
  approvals: Approval[];
}
export interface DecisionResponse {
  approval: Approval;
}
export interface GrantListResponse {
  grants: Grant[];
}

/** Error body of every non-2xx answer. `code` is stable; `message` says what to do. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}
export type ApiErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'already_decided'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

/** Frames on `GET /api/v1/stream` (WebSocket). */
export type StreamFrame =
  | { type: 'hello'; lastSeqBySession: Record<string, number> }
  | { type: 'event'; event: SessionEvent }
  | { type: 'session'; session: Session }
  | { type: 'approval'; approval: Approval };
