/**
 * JSON-RPC with `codex app-server` over its stdio: one JSON object per line, and no `"jsonrpc"`
 * field in either direction (PROTOCOL.md, "Wire").
 *
 * Why vscode-jsonrpc: it classifies incoming messages by their shape alone (`method` + `id` is a
 * request, `method` alone a notification, `id` + `result`/`error` a response) and never checks the
 * `"jsonrpc"` field, so Codex's lines are accepted as they are; it keeps the server's request ids
 * apart from ours (Codex numbers its own requests from 0 too), and answers a request with no
 * handler with a JSON-RPC error. `json-rpc-2.0` was the other candidate: it drops every message
 * whose `jsonrpc` is not "2.0", which is every line Codex writes. Only the framing is ours: lines
 * come from the runner's bounded line splitter, and go out as lines.
 */
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  createMessageConnection,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

/** Hands parsed lines to the connection. */
export class LineMessageReader extends AbstractMessageReader {
  private callback: DataCallback | null = null;

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    return { dispose: () => (this.callback = null) };
  }

  /** One parsed line of the agent's stdout. */
  deliver(message: Message): void {
    this.callback?.(message);
  }

  /** The agent's stdout ended. */
  close(): void {
    this.fireClose();
  }
}

/** Writes each message as one line, without the `"jsonrpc"` field Codex's wire format leaves out. */
export class LineMessageWriter extends AbstractMessageWriter {
  private readonly writeLine: (line: string) => boolean;

  constructor(writeLine: (line: string) => boolean) {
    super();
    this.writeLine = writeLine;
  }

  async write(message: Message): Promise<void> {
    const { jsonrpc: _version, ...rest } = message as Message & Record<string, unknown>;
    if (!this.writeLine(JSON.stringify(rest))) throw new Error('the agent can no longer receive input');
  }

  end(): void {}
}

/** A connection over the given line reader and writer; `listen()` it once the handlers are set. */
export function lineConnection(reader: LineMessageReader, writer: LineMessageWriter): MessageConnection {
  return createMessageConnection(reader, writer);
}
