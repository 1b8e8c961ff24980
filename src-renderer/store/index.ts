/**
 * The renderer's store: one zustand store assembled from slices. Created with the API client it talks
 * through, so tests build it against a real core without React.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../../src-main/client/api-client.ts';
import type { AppState } from './app-state.ts';
import { createApprovalsSlice } from './approvals-slice.ts';
import { createConnectionSlice } from './connection-slice.ts';
import { createEventsSlice } from './events-slice.ts';
import { createSessionActionsSlice } from './session-actions-slice.ts';
import { createSessionsSlice } from './sessions-slice.ts';
import { createViewSlice } from './view-slice.ts';

export type { AppState } from './app-state.ts';
export { sortApprovals } from './approvals-slice.ts';
export { sortSessions } from './sessions-slice.ts';
export { holdsStart } from './events-slice.ts';
export { startLiveSync, type LiveSync } from './live-sync.ts';
export type { View } from './view-slice.ts';

/** The store type the React hooks and live sync use. */
export type AppStore = StoreApi<AppState>;

/** Creates the app store bound to one core. */
export function createAppStore(api: ApiClient): AppStore {
  return createStore<AppState>()((set, get) => {
    const context = { set, get, api };
    return {
      ...createSessionsSlice(context),
      ...createEventsSlice(context),
      ...createSessionActionsSlice(context),
      ...createApprovalsSlice(context),
      ...createConnectionSlice(context),
      ...createViewSlice(context),
    };
  });
}
