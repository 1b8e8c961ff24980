import type { LoginCodeResponse } from '../../contract/index.ts';
import type { OpenBrowser } from '../browser-opener.ts';
import { createApiClient } from '../client.ts';

/** How `reins open` shows the link: opened in the browser, or only printed (`--print`). */
export interface OpenOptions {
  print: boolean;
  openBrowser: OpenBrowser;
  stdout: { write(text: string): unknown };
}

/**
 * `reins open`: mints a one-time login URL through the API (with the token from runtime.json) and
 * opens it in the default browser, or prints it with `--print`. The long-lived token never leaves
 * this process: the URL carries a code that works once, for 2 minutes.
 */
export async function openCommand(home: string, options: OpenOptions): Promise<number> {
  const api = createApiClient(home);
  const { url } = await api.post<LoginCodeResponse>('/auth/login-codes');
  if (options.print) {
    options.stdout.write(`${url}\n`);
    return 0;
  }
  await options.openBrowser(url);
  options.stdout.write('Opened Reins in your browser (the link works once, within 2 minutes).\n');
  return 0;
}
