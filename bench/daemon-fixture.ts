import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../src-main/core/index.ts';
import { startDaemon } from '../src-main/daemon/index.ts';
import { apiClient } from '../test/helpers/api-client.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';

/** A daemon in a temp data directory driving `bin`, plus an API client; `close()` removes it all. */
export async function benchDaemon(bin: string, env: Record<string, string>, config: Record<string, unknown> = {}) {
  const dir = tempDir('reins-bench-');
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const daemon = await startDaemon({ home: join(dir.path, 'home'), config: parseConfig({ port: 0, ...config, agents: { claude: { bin } } }), env });
  return {
    daemon,
    project,
    dir: dir.path,
    api: apiClient(daemon.url, daemon.token),
    async close() {
      await daemon.stop();
      dir.remove();
    },
  };
}
