import { describe, expect, it } from 'vitest';
import type { DesktopBridge } from '../../../src-main/contract/desktop.ts';
import { NoConnectionError, resolveConnection } from '../../../src-renderer/connection.ts';

describe('resolveConnection', () => {
  it('asks the desktop bridge when the preload provided one', async () => {
    const bridge: DesktopBridge = { platform: 'linux', connection: async () => ({ url: 'http://127.0.0.1:7717', token: 't1' }) };
    const source = { reins: bridge, location: { origin: 'http://127.0.0.1:7717', hash: '#token=ignored' } };
    await expect(resolveConnection(source)).resolves.toEqual({ url: 'http://127.0.0.1:7717', token: 't1' });
  });

  it('in a browser tab, takes the token from the fragment and the API from the page origin', async () => {
    const source = { location: { origin: 'http://127.0.0.1:41234', hash: '#token=abc-DEF_123&x=1' } };
    await expect(resolveConnection(source)).resolves.toEqual({ url: 'http://127.0.0.1:41234', token: 'abc-DEF_123' });
  });

  it('says how to connect when there is neither', async () => {
    const attempt = resolveConnection({ location: { origin: 'http://127.0.0.1:41234', hash: '' } });
    await expect(attempt).rejects.toBeInstanceOf(NoConnectionError);
    await expect(attempt).rejects.toThrow('#token=');
  });
});
