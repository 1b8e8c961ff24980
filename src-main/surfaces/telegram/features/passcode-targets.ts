/** The passcode requests of the policy commands: a session's mode, a grant's revocation. */
import type { Grant, Session, SessionMode } from '../../../contract/index.ts';
import type { Place } from '../state.ts';
import { sessionLabel } from '../views/session-label.ts';
import type { GateRequest } from './passcode.ts';

/** Setting the mode of `s` to `mode` from the phone. */
export function modeGate(s: Session, mode: SessionMode, place: Place, userId: number): GateRequest {
  return {
    place,
    userId,
    target: { kind: 'mode', sessionId: s.id, mode },
    what: `set the mode of session ${s.name} to ${mode}`,
    whatHtml: `set the mode of ${sessionLabel(s)} to <b>${mode}</b>`,
    sessionId: s.id,
  };
}

/** Revoking grant `g` (described as `html`) from the phone. */
export function revokeGate(g: Grant, html: string, place: Place, userId: number): GateRequest {
  return {
    place,
    userId,
    target: { kind: 'revoke', grantId: g.id },
    what: `revoke the ${g.scope} grant ${g.id}`,
    whatHtml: `revoke ${html}`,
    sessionId: g.sessionId ?? undefined,
  };
}
