import type { ApiClient } from '../../src-main/client/api-client.ts';
import type { ApprovalsSlice } from './approvals-slice.ts';
import type { ConnectionSlice } from './connection-slice.ts';
import type { EventsSlice } from './events-slice.ts';
import type { SessionActionsSlice } from './session-actions-slice.ts';
import type { SessionsSlice } from './sessions-slice.ts';
import type { ViewSlice } from './view-slice.ts';

/** The whole renderer state: one store, one slice per concern. */
export type AppState = SessionsSlice & EventsSlice & SessionActionsSlice & ApprovalsSlice & ConnectionSlice & ViewSlice;

/** zustand's `set` for the app state (partial updates or an updater). */
type SetState = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
/** zustand's `get` for the app state. */
type GetState = () => AppState;

/** What every slice creator receives. */
export interface SliceContext {
  set: SetState;
  get: GetState;
  api: ApiClient;
}
