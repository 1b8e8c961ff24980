/**
 * The core's facade: everything a surface (the loopback API, Telegram, the desktop host) may ask of
 * the core, in the contract's own types. `createCore` returns exactly this; surfaces depend on it,
 * never on the core's internals.
 */
import type {
  AgentInfo,
  AuditVerification,
  CreateGrantBody,
  CreateSessionBody,
  DecisionBody,
  EventsResponse,
  HookCallBody,
  HookCallResponse,
  SendMessageBody,
  SessionResponse,
  StreamFrame,
} from './api.ts';
import type { Approval, ApprovalStatus, AuditEntry, DayBudget, Followup, Grant, Project, Session, SessionMode, Surface } from './domain.ts';
import type { PasscodeCheck, PasscodeStatus } from './passcode.ts';
import type { AddScheduleBody, AddWebhookBody, Schedule, Webhook, WebhookDelivery, WebhookSecretResponse } from './schedules.ts';

/** Who acts, from where: `telegram:<user id>` via `telegram`, `owner` via `cli`, … */
export interface Actor {
  by: string;
  surface: Surface;
}

/** One audit entry to write. */
export interface AuditInput {
  type: string;
  actor: string;
  surface: Surface | string;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

/** The settings surfaces read. */
interface FacadeConfig {
  port: number;
  approvalTimeoutSeconds: number;
  telegram: { apiRoot?: string | undefined; ownerId?: number | undefined; forumChatId?: number | undefined; shell: boolean };
}

/** Small persistent values for surfaces (Telegram offsets, message ids). */
interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string, now: number): void;
  delete(key: string): void;
}

export interface CoreFacade {
  readonly paths: { home: string; runtime: string; attachments: string };
  readonly config: FacadeConfig;
  readonly startedAt: number;
  /** Recovery counts from this start (sessions interrupted, approvals expired, agents a crashed core left). */
  readonly recovery: { sessions: number; approvals: number; agentsKilled: number };
  /** Every agent of the registry, whether its executable is found, and what it can do. */
  agents(): AgentInfo[];
  /** What an installed agent's executable says its version is (first line); null when not installed or it does not say. */
  agentVersion(agentId: string): Promise<string | null>;
  readonly sessions: {
    /** Newest activity first; archived sessions only with `all`. */
    list(opts?: { all?: boolean }): Session[];
    /** A session by id, unique id prefix or name. */
    get(idOrPrefix: string): SessionResponse;
    /** Gives a session a new name (checked: form, not taken); audited. */
    rename(idOrName: string, name: string, actor: Actor): Session;
    create(body: CreateSessionBody, actor: Actor): Session;
    send(idOrPrefix: string, body: SendMessageBody, actor: Actor): Followup;
    cancelFollowup(followupId: string, actor: Actor): boolean;
    stop(idOrPrefix: string, actor: Actor): Promise<Session>;
    interrupt(idOrPrefix: string, actor: Actor): Promise<boolean>;
    /** Keystrokes for a terminal session (`{ data }`), audited. */
    terminalInput(idOrPrefix: string, body: unknown, actor: Actor): void;
    /** A terminal's size (`{ cols, rows }`). */
    terminalResize(idOrPrefix: string, body: unknown): void;
    setMode(idOrPrefix: string, mode: SessionMode, actor: Actor): Session;
    events(idOrPrefix: string, after: number, limit: number): EventsResponse;
    /** Pids of the agent processes this core runs. */
    livePids(): number[];
  };
  readonly approvals: {
    list(status?: ApprovalStatus): Approval[];
    get(idOrPrefix: string): Approval;
    decide(idOrPrefix: string, body: DecisionBody, actor: Actor): Approval;
  };
  readonly grants: {
    list(): Grant[];
    create(body: CreateGrantBody, actor: Actor): Grant;
    revoke(id: string, actor: Actor): Grant;
  };
  readonly hooks: {
    /**
     * Decides a tool call an agent's own hook posted (a session Reins did not start), waiting for the
     * owner when the call needs it; `signal` aborts when the hook hangs up (its approval is withdrawn).
     */
    toolCall(body: HookCallBody, signal?: AbortSignal): Promise<HookCallResponse>;
  };
  /** Cron schedules that start sessions; those from config.json cannot be removed here. */
  readonly schedules: {
    list(): Schedule[];
    add(body: AddScheduleBody, actor: Actor): Schedule;
    remove(name: string, actor: Actor): Schedule;
    setEnabled(name: string, enabled: boolean, actor: Actor): Schedule;
  };
  /** Signed webhooks that start sessions; a secret is returned only when created or rotated. */
  readonly webhooks: {
    list(): Webhook[];
    add(body: AddWebhookBody, actor: Actor): Promise<WebhookSecretResponse>;
    rotate(name: string, actor: Actor): Promise<WebhookSecretResponse>;
    remove(name: string, actor: Actor): Promise<Webhook>;
    /** Checks a delivery's signature, time and novelty, then starts its session. */
    deliver(name: string, delivery: WebhookDelivery): Promise<{ sessionId: string }>;
  };
  readonly audit: {
    append(input: AuditInput): AuditEntry;
    recent(limit: number): AuditEntry[];
    verify(): AuditVerification;
  };
  /**
   * The owner's optional passcode, asked by the phone before the riskiest decisions. Set and
   * cleared only on the machine; only its argon2id hash is stored.
   */
  readonly passcode: {
    status(): PasscodeStatus;
    set(passcode: string, actor: Actor): Promise<PasscodeStatus>;
    clear(actor: Actor): PasscodeStatus;
    /** One try from the phone for `what` (about session `sessionId`); wrong tries lock, audited. */
    check(passcode: string, actor: Actor, context: { what: string; sessionId?: string | undefined }): Promise<PasscodeCheck>;
  };
  /** Tells policy the port the loopback API really listens on (agents may never reach it). */
  protectApiPort(port: number): void;
  readonly kv: KeyValueStore;
  readonly projects: { list(): Project[] };
  /** Today's spend across sessions against the day's limit. */
  readonly budget: { today(): DayBudget };
  /** Receives every committed change; returns the unsubscribe function. */
  subscribe(listener: (frame: StreamFrame) => void): () => void;
  /** Last seq of every session, for stream clients that resume. */
  lastSeqs(): Record<string, number>;
  /** Ends agents, timers, the store and the lock. Safe to call twice. */
  stop(): Promise<void>;
}
