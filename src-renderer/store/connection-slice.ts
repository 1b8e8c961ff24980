import type { SliceContext } from './app-state.ts';

/** `connecting` until the stream says hello, `live` while it is open, `offline` between retries. */
type LinkStatus = 'connecting' | 'live' | 'offline';

/** The stream connection as the header shows it. */
export interface ConnectionSlice {
  link: { status: LinkStatus; error: string | null };
  setLink(status: LinkStatus, error?: string | null): void;
}

/** Creates the connection slice. */
export function createConnectionSlice({ set }: SliceContext): ConnectionSlice {
  return {
    link: { status: 'connecting', error: null },
    setLink: (status, error = null) => set({ link: { status, error } }),
  };
}
