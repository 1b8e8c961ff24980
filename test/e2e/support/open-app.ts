/**
 * How a browser test opens the app signed in: the one place that knows how a tab gets access to the
 * core, so every spec follows when that changes. It signs in the way a person does: a one-time login
 * URL minted with the API token (what `reins open --print` does), then that URL in the browser, which
 * trades it for the session cookie and lands on the app. The token itself never reaches the page.
 */
import type { Page } from '@playwright/test';
import type { LoginCodeResponse } from '../../../src-main/contract/api.ts';

/** The core a spec runs against (what serve-core.ts prints). */
export interface CoreAccess {
  url: string;
  token: string;
}

/** Mints a one-time login URL (2 minutes, single use) with the core's bearer token. */
export async function mintLoginUrl(core: CoreAccess): Promise<string> {
  const res = await fetch(`${core.url}/api/v1/auth/login-codes`, { method: 'POST', headers: { authorization: `Bearer ${core.token}` } });
  if (res.status !== 201) throw new Error(`POST /api/v1/auth/login-codes answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as LoginCodeResponse).url;
}

/** Opens `path` of the app in `page`, signed in to `core`. */
export async function openApp(page: Page, core: CoreAccess, path = '/'): Promise<void> {
  await page.goto(await mintLoginUrl(core));
  if (path !== '/') await page.goto(`${core.url}${path}`);
}
