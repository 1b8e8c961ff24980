import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { Actor, CreateGrantBody, Grant, GrantMatcher, GrantScope } from '../../contract/index.ts';
import { createGrantBody, describeGrantMatcher } from '../../contract/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../clock.ts';
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { canonicalJson } from './grant-target.ts';

export type { Actor } from '../../contract/index.ts';

/**
 * A matcher from the API in the form matching expects (absolute normalised paths, a bare origin,
 * canonical JSON), or an error saying what to fix: a grant must never mean more than it reads.
 */
function normalisedMatcher(m: GrantMatcher): GrantMatcher {
  switch (m.kind) {
    case 'file':
    case 'folder':
      if (!isAbsolute(m.path)) throw new InvalidRequestError(`A ${m.kind} grant needs an absolute path (got "${m.path}").`);
      return { kind: m.kind, path: resolve(m.path) };
    case 'origin': {
      let origin: string | null = null;
      try {
        const u = new URL(m.origin);
        origin = u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
      } catch {
        origin = null;
      }
      if (origin === null || origin !== m.origin.replace(/\/$/, ''))
        throw new InvalidRequestError(`An origin grant needs an origin such as https://example.com, nothing more (got "${m.origin}").`);
      return { kind: 'origin', origin };
    }
    case 'input':
      try {
        return { kind: 'input', input: canonicalJson(JSON.parse(m.input)) };
      } catch {
        throw new InvalidRequestError('An input grant needs the input as JSON text.');
      }
    case 'command':
      return { kind: 'command', command: m.command.trim() };
    case 'command-prefix':
      return { kind: 'command-prefix', prefix: m.prefix.trim().replace(/\s+/g, ' ') };
    case 'any':
      return m;
  }
}

/** Grants: create, list, revoke — each change audited in the same transaction. */
/** Which matchers make sense for which subject; a grant that could never match is refused, not kept. */
const MATCHERS_OF_SUBJECT: Readonly<Record<string, readonly GrantMatcher['kind'][]>> = {
  shell: ['command', 'command-prefix', 'any'],
  read: ['file', 'folder'],
  write: ['file', 'folder'],
  edit: ['file', 'folder'],
  search: ['folder'],
  fetch: ['origin'],
};

/** Why `matcher` cannot cover calls of `subject`, or null when it can. */
function subjectMismatch(subject: string, matcher: GrantMatcher['kind']): string | null {
  const allowed = MATCHERS_OF_SUBJECT[subject] ?? ['input', 'any'];
  return allowed.includes(matcher) ? null : `A ${matcher} matcher cannot cover ${subject} calls; use one of: ${allowed.join(', ')}.`;
}

export function createGrantService(deps: { store: Store; audit: AuditLog; clock: Clock }) {
  const { store, audit, clock } = deps;
  const insert = (g: Omit<Grant, 'id' | 'createdAt' | 'revokedAt'>, actor: Actor, via: string): Grant => {
    const grant: Grant = { ...g, id: randomUUID(), createdAt: clock.now(), revokedAt: null };
    store.transaction(() => {
      store.grants.insert(grant);
      const covers = describeGrantMatcher(grant.tool, grant.matcher);
      audit.append({
        type: 'grant.created',
        actor: actor.by,
        surface: actor.surface,
        subject: grant.id,
        detail: { scope: grant.scope, tool: grant.tool, covers, matcher: grant.matcher, expiresAt: grant.expiresAt, via },
      });
    });
    return grant;
  };
  return {
    /** Creates a grant from an API body (validated here too, so every caller gets the same checks). */
    create(body: CreateGrantBody, actor: Actor): Grant {
      const b = createGrantBody.parse(body);
      let sessionId: string | null = null;
      let projectId: string | null = null;
      if (b.scope === 'project') {
        const project = b.projectId ? store.projects.get(b.projectId) : b.cwd ? store.projects.findByPath(resolve(b.cwd)) : undefined;
        if (!project) throw new InvalidRequestError('A project grant needs projectId or cwd of a known project (one a session has run in).');
        projectId = project.id;
      } else {
        const session = b.sessionId ? store.sessions.get(b.sessionId) : undefined;
        if (!session) throw new InvalidRequestError(`A ${b.scope} grant needs the sessionId of an existing session.`);
        sessionId = session.id;
        projectId = session.projectId;
      }
      const mismatch = subjectMismatch(b.tool, b.matcher.kind);
      if (mismatch !== null) throw new InvalidRequestError(mismatch);
      const expiresAt = b.ttlSeconds ? clock.now() + b.ttlSeconds * 1000 : null;
      return insert(
        { scope: b.scope, sessionId, projectId, tool: b.tool, matcher: normalisedMatcher(b.matcher), expiresAt, createdBy: actor.by },
        actor,
        'api',
      );
    },
    /** Creates the grant behind an "allow for this session/project" decision (inside its transaction). */
    createFromDecision(
      scope: Exclude<GrantScope, 'run'>,
      sessionId: string,
      projectId: string,
      tool: string,
      matcher: GrantMatcher,
      actor: Actor,
      approvalId: string,
    ): Grant {
      return insert(
        { scope, sessionId: scope === 'session' ? sessionId : null, projectId, tool, matcher, expiresAt: null, createdBy: actor.by },
        actor,
        `approval:${approvalId}`,
      );
    },
    list(): Grant[] {
      return store.grants.listActive(clock.now());
    },
    revoke(id: string, actor: Actor): Grant {
      const grant = store.grants.get(id);
      if (!grant) throw new NotFoundError('grant', id);
      store.transaction(() => {
        if (store.grants.revoke(id, clock.now())) {
          audit.append({
            type: 'grant.revoked',
            actor: actor.by,
            surface: actor.surface,
            subject: id,
            detail: { tool: grant.tool, scope: grant.scope, covers: describeGrantMatcher(grant.tool, grant.matcher) },
          });
        }
      });
      return store.grants.get(id)!;
    },
    /** Ends `run`-scoped grants when their agent process ends. */
    revokeRunGrants(sessionId: string): void {
      for (const g of store.grants.listApplicable(sessionId, '', clock.now())) {
        if (g.scope === 'run' && g.sessionId === sessionId) this.revoke(g.id, { by: 'core', surface: 'core' });
      }
    },
  };
}
export type GrantService = ReturnType<typeof createGrantService>;
