/**
 * How a browser test opens the app signed in: the one place that knows how a tab gets access to the
 * core, so every spec follows when that changes.
 */
import type { Page } from '@playwright/test';

/** The core a spec runs against (what serve-core.ts prints). */
export interface CoreAccess {
  url: string;
  token: string;
}

/** Opens `path` of the app in `page`, signed in to `core`. */
export async function openApp(page: Page, core: CoreAccess, path = '/'): Promise<void> {
  await page.goto(`${core.url}${path}#token=${core.token}`);
}
