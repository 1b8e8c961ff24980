import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ApiClient } from '../src-main/client/api-client.ts';
import type { AppState, AppStore } from './store/index.ts';

const StoreContext = createContext<{ store: AppStore; api: ApiClient } | null>(null);

/** Makes the app store (and the client it uses) available to the components below. */
export function StoreProvider(props: { store: AppStore; api: ApiClient; children: ReactNode }) {
  return <StoreContext.Provider value={{ store: props.store, api: props.api }}>{props.children}</StoreContext.Provider>;
}

function useStoreContext(): { store: AppStore; api: ApiClient } {
  const value = useContext(StoreContext);
  if (!value) throw new Error('useAppState must be used below <StoreProvider>.');
  return value;
}

/** The API client of the core the store talks to (for screens that read what the store does not hold). */
export function useApi(): ApiClient {
  return useStoreContext().api;
}

/** The store itself, for effects that subscribe to changes outside rendering (notifications). */
export function useAppStore(): AppStore {
  return useStoreContext().store;
}

/** Selects from the app state; the component re-renders only when the selected value changes. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useStoreContext().store, selector);
}
