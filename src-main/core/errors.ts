/**
 * Typed errors of the core. Each carries a stable `code` the API maps to an HTTP status, and a
 * message that tells the user what to do.
 */
import type { ApiErrorCode } from '../contract/index.ts';

/** Base of every error the core raises on purpose. */
export class ReinsError extends Error {
  override name = 'ReinsError';
  readonly code: ApiErrorCode;
  readonly details: unknown;
  constructor(code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** A session, approval or grant id that does not exist. */
export class NotFoundError extends ReinsError {
  override name = 'NotFoundError';
  constructor(what: string, id: string) {
    const which = what === 'session' ? `named or with id ${id}` : `with id ${id}`;
    super('not_found', `No ${what} ${which}. List them with \`reins ${what === 'approval' ? 'approvals' : 'sessions'}\`.`);
  }
}

/** A short id that starts more than one id: the message lists them so the user can pick. */
export class AmbiguousIdError extends ReinsError {
  override name = 'AmbiguousIdError';
  constructor(what: string, prefix: string, candidates: readonly string[]) {
    super('conflict', `"${prefix}" starts more than one ${what} id (${candidates.join(', ')}); type more of it.`, { candidates });
  }
}

/** A request the core understood but cannot carry out as asked. */
export class InvalidRequestError extends ReinsError {
  override name = 'InvalidRequestError';
  constructor(message: string, details?: unknown) {
    super('bad_request', message, details);
  }
}

/** The approval was decided before this decision arrived; the first decision stands. */
export class AlreadyDecidedError extends ReinsError {
  override name = 'AlreadyDecidedError';
  readonly status: string;
  constructor(approvalId: string, status: string, surface: string | null) {
    super('already_decided', `Approval ${approvalId} was already decided (${status}${surface ? ` via ${surface}` : ''}).`);
    this.status = status;
  }
}

/** The action conflicts with the session's state (e.g. a message to a session still starting). */
export class ConflictError extends ReinsError {
  override name = 'ConflictError';
  constructor(message: string) {
    super('conflict', message);
  }
}
