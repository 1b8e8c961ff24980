import { describe, expect, it } from 'vitest';
import { WS_TOKEN_PROTOCOL_PREFIX } from '../../../src-main/contract/api.ts';
import { TOKEN_PROTOCOL_PREFIX } from '../../../src-main/client/api-client.ts';

describe('renderer wire constants', () => {
  it('offer the token on the same WebSocket subprotocol the server accepts', () => {
    expect(TOKEN_PROTOCOL_PREFIX).toBe(WS_TOKEN_PROTOCOL_PREFIX);
  });
});
