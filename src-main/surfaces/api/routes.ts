import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { AgentsResponse, AuthSessionResponse, HealthResponse, LoginCodeResponse, Surface } from '../../contract/index.ts';
import {
  APPROVAL_STATUSES,
  hookCallBody,
  scheduleEnabledBody,
  setModeBody,
  setPasscodeBody,
  telegramTokenBody,
  updateSessionBody,
} from '../../contract/index.ts';
import { WEBHOOK_MAX_BODY_BYTES } from '../../core/schedules/index.ts';
import type { Actor } from '../../core/approvals/grant-service.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { TelegramControl } from '../telegram/index.ts';
import { exportSession, isExportFormat } from '../../core/export/index.ts';
import { createRedaction } from '../../core/redaction/index.ts';
import { silentLogger } from '../../core/log.ts';
import { FileBody, HttpError, readJson } from './http-io.ts';
import { readDelivery } from './webhook-delivery.ts';

/** How a request proved it may call: the bearer token, or a browser's session cookie (until `expiresAt`). */
export type RequestAuth = { via: 'token' } | { via: 'cookie'; expiresAt: number };

/** A matched route's handler: returns the JSON body (status 200 unless it says otherwise). */
type Handler = (ctx: { req: IncomingMessage; url: URL; params: string[]; actor: Actor; auth: RequestAuth }) => Promise<unknown> | unknown;
interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  status?: number;
  /** Only a holder of the bearer token may call it (not a browser session). */
  tokenOnly?: boolean;
}

/** What the auth routes need from the server: minting a login URL (audited there). */
interface LoginControl {
  mintLoginUrl(actor: Actor): LoginCodeResponse;
}

/** Surfaces an API client may say it is (informational: every client holds the same token). */
const CLIENT_SURFACES: readonly Surface[] = ['api', 'cli', 'desktop', 'tray', 'notification'];

/** Reads the calling surface from `X-Reins-Surface`; defaults to `api`. */
export function actorOf(req: IncomingMessage): Actor {
  const claimed = req.headers['x-reins-surface'];
  const surface = typeof claimed === 'string' && (CLIENT_SURFACES as string[]).includes(claimed) ? (claimed as Surface) : 'api';
  return { by: `${surface}-client`, surface };
}

const ID = '([A-Za-z0-9_-]{1,64})';
const intParam = (url: URL, name: string, def: number, max: number): number => {
  const v = url.searchParams.get(name);
  if (v === null) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new HttpError('bad_request', `Query parameter ${name} must be a non-negative integer.`);
  return Math.min(n, max);
};

/** The API's routes, in matching order. `telegram` is absent in hosts without the bridge. */
export function createRoutes(
  core: CoreFacade,
  version: string,
  login: LoginControl,
  telegram: TelegramControl | null = null,
  apiToken: string | null = null,
): Route[] {
  /** Reins' own secrets, hidden in transcripts like in everything sent to Telegram. */
  const ownSecrets = (): string[] => [...(apiToken ? [apiToken] : []), ...(telegram?.ownSecrets() ?? [])];
  const route = (method: string, path: string, handler: Handler, status?: number): Route => ({
    method,
    pattern: new RegExp(`^/api/v1${path}$`),
    handler,
    ...(status ? { status } : {}),
  });
  return [
    route('GET', '/health', (): HealthResponse => ({ ok: true, version, pid: process.pid, startedAt: core.startedAt })),
    // A browser session must not mint login links: that would let one stolen cookie outlive its expiry.
    { ...route('POST', '/auth/login-codes', ({ actor }) => login.mintLoginUrl(actor), 201), tokenOnly: true },
    route('GET', '/auth/session', ({ auth }): AuthSessionResponse => ({ via: auth.via, expiresAt: auth.via === 'cookie' ? auth.expiresAt : null })),
    route('GET', '/agents', (): AgentsResponse => ({ agents: core.agents() })),
    route('GET', `/agents/${ID}/version`, async ({ params }) => ({ version: await core.agentVersion(params[0]!) })),
    // Archived sessions only with `?all=1`.
    route('GET', '/sessions', ({ url }) => ({ sessions: core.sessions.list({ all: ['1', 'true'].includes(url.searchParams.get('all') ?? '') }) })),
    route('POST', '/sessions', async ({ req, actor }) => ({ session: core.sessions.create((await readJson(req)) as never, actor) }), 201),
    route('GET', `/sessions/${ID}`, ({ params }) => core.sessions.get(params[0]!)),
    route('PATCH', `/sessions/${ID}`, async ({ req, params, actor }) => ({
      session: core.sessions.rename(params[0]!, updateSessionBody.parse(await readJson(req)).name, actor),
    })),
    route('GET', `/sessions/${ID}/events`, ({ url, params }) =>
      core.sessions.events(params[0]!, intParam(url, 'after', 0, Number.MAX_SAFE_INTEGER), intParam(url, 'limit', 500, 5000) || 500),
    ),
    // A transcript to download; the projects' .env values are re-read for each export.
    route('GET', `/sessions/${ID}/export`, async ({ url, params }) => {
      const format = url.searchParams.get('format') ?? 'md';
      if (!isExportFormat(format)) throw new HttpError('bad_request', 'Query parameter format must be md, json or html.');
      const redact = createRedaction({ core, secrets: ownSecrets(), log: silentLogger }).current();
      return new FileBody(await exportSession(core, params[0]!, format, redact));
    }),
    route(
      'POST',
      `/sessions/${ID}/messages`,
      async ({ req, params, actor }) => ({ followup: core.sessions.send(params[0]!, (await readJson(req)) as never, actor) }),
      202,
    ),
    route('POST', `/sessions/${ID}/stop`, async ({ params, actor }) => ({ session: await core.sessions.stop(params[0]!, actor) })),
    route('POST', `/sessions/${ID}/interrupt`, async ({ params, actor }) => ({ interrupted: await core.sessions.interrupt(params[0]!, actor) })),
    route('POST', `/sessions/${ID}/input`, async ({ req, params, actor }) => {
      core.sessions.terminalInput(params[0]!, await readJson(req), actor);
      return { ok: true };
    }),
    route('POST', `/sessions/${ID}/resize`, async ({ req, params }) => {
      core.sessions.terminalResize(params[0]!, await readJson(req));
      return { ok: true };
    }),
    route('POST', `/sessions/${ID}/mode`, async ({ req, params, actor }) => ({
      session: core.sessions.setMode(params[0]!, setModeBody.parse(await readJson(req)).mode, actor),
    })),
    route('POST', `/followups/${ID}/cancel`, ({ params, actor }) => ({ cancelled: core.sessions.cancelFollowup(params[0]!, actor) })),
    route('GET', '/budget', () => ({ today: core.budget.today() })),
    route('GET', '/approvals', ({ url }) => {
      const status = z
        .enum(APPROVAL_STATUSES)
        .optional()
        .parse(url.searchParams.get('status') ?? undefined);
      return { approvals: core.approvals.list(status) };
    }),
    route('GET', `/approvals/${ID}`, ({ params }) => ({ approval: core.approvals.get(params[0]!) })),
    route('POST', `/approvals/${ID}/decision`, async ({ req, params, actor }) => ({
      approval: core.approvals.decide(params[0]!, (await readJson(req)) as never, actor),
    })),
    route('POST', '/hooks/tool-call', async ({ req }) => {
      const body = hookCallBody.parse(await readJson(req));
      // The answer may wait for the owner far longer than the idle limit of a connection; a hook that
      // hangs up (the agent gave up or was stopped) withdraws its approval.
      const socket = req.socket;
      const idle = socket.timeout;
      socket.setTimeout(body.budgetMs + 10_000);
      const hangUp = new AbortController();
      const onClose = (): void => hangUp.abort();
      socket.once('close', onClose);
      try {
        return await core.hooks.toolCall(body, hangUp.signal);
      } finally {
        socket.off('close', onClose);
        if (!socket.destroyed) socket.setTimeout(idle ?? 0);
      }
    }),
    route('GET', '/grants', () => ({ grants: core.grants.list() })),
    route('POST', '/grants', async ({ req, actor }) => ({ grant: core.grants.create((await readJson(req)) as never, actor) }), 201),
    route('DELETE', `/grants/${ID}`, ({ params, actor }) => ({ grant: core.grants.revoke(params[0]!, actor) })),
    route('GET', '/schedules', () => ({ schedules: core.schedules.list() })),
    route('POST', '/schedules', async ({ req, actor }) => ({ schedule: core.schedules.add((await readJson(req)) as never, actor) }), 201),
    route('DELETE', `/schedules/${ID}`, ({ params, actor }) => ({ schedule: core.schedules.remove(params[0]!, actor) })),
    route('POST', `/schedules/${ID}/enabled`, async ({ req, params, actor }) => ({
      schedule: core.schedules.setEnabled(params[0]!, scheduleEnabledBody.parse(await readJson(req)).enabled, actor),
    })),
    route('GET', '/webhooks', () => ({ webhooks: core.webhooks.list() })),
    // A secret is shown to the CLI once; a browser session may list and remove webhooks but not see secrets.
    { ...route('POST', '/webhooks', async ({ req, actor }) => core.webhooks.add((await readJson(req)) as never, actor), 201), tokenOnly: true },
    { ...route('POST', `/webhooks/${ID}/secret`, ({ params, actor }) => core.webhooks.rotate(params[0]!, actor)), tokenOnly: true },
    route('DELETE', `/webhooks/${ID}`, async ({ params, actor }) => ({ webhook: await core.webhooks.remove(params[0]!, actor) })),
    // The delivery itself: no token (see webhook-delivery.ts); the core checks its signature.
    route('POST', `/webhooks/${ID}`, async ({ req, params }) => core.webhooks.deliver(params[0]!, await readDelivery(req, WEBHOOK_MAX_BODY_BYTES)), 202),
    route('GET', '/audit', ({ url }) => ({ entries: core.audit.recent(intParam(url, 'limit', 100, 1000) || 100) })),
    route('GET', '/audit/verify', () => core.audit.verify()),
    // The passcode: its status for anyone signed in; setting or clearing it only with the token (the
    // CLI on the machine). The body is parsed here and never logged; the answer never carries it.
    route('GET', '/passcode', () => ({ passcode: core.passcode.status() })),
    {
      ...route('PUT', '/passcode', async ({ req, actor }) => ({
        passcode: await core.passcode.set(setPasscodeBody.parse(await readJson(req)).passcode, actor),
      })),
      tokenOnly: true,
    },
    { ...route('DELETE', '/passcode', ({ actor }) => ({ passcode: core.passcode.clear(actor) })), tokenOnly: true },
    route('GET', '/telegram/status', () => ({ status: needTelegram(telegram).status() })),
    route('POST', '/telegram/pair', () => needTelegram(telegram).pair()),
    route('PUT', '/telegram/token', async ({ req, actor }) => {
      const { token } = telegramTokenBody.parse(await readJson(req));
      return { status: await needTelegram(telegram).setToken(token, actor) };
    }),
  ];
}

function needTelegram(telegram: TelegramControl | null): TelegramControl {
  if (!telegram) throw new HttpError('not_found', 'This Reins host runs without the Telegram bridge.');
  return telegram;
}

/** Finds the route for a request; distinguishes unknown paths (404) from wrong methods (405 → 404 body). */
export function matchRoute(routes: Route[], method: string, pathname: string): { route: Route; params: string[] } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(pathname);
    if (m) return { route, params: m.slice(1) };
  }
  return null;
}
