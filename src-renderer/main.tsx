/**
 * Renderer entry: the core is the page's own origin (signed in by cookie through a login URL); check
 * the sign-in, build the store, keep it live, render.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApiClient } from '../src-main/client/api-client.ts';
import { App, ConnectionProblem } from './app.tsx';
import { ensureSignedIn, pageConnection } from './connection.ts';
import { createAppStore, startLiveSync } from './store/index.ts';
import { StoreProvider } from './store-context.tsx';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks <div id="root">.');
const root = createRoot(container);

try {
  const api = createApiClient(pageConnection(window.location));
  await ensureSignedIn(api);
  const store = createAppStore(api);
  startLiveSync(store, api, { sleep: (ms) => new Promise((resolve) => window.setTimeout(resolve, ms)) });
  root.render(
    <StrictMode>
      <StoreProvider store={store} api={api}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
} catch (error) {
  root.render(<ConnectionProblem message={error instanceof Error ? error.message : String(error)} />);
}
