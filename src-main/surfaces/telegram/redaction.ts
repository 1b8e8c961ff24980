/**
 * The redactor of everything the bridge sends: known secret formats, Reins' own secrets (the bot
 * token, the signing key), and every value of the projects' .env and .envrc files (subfolders
 * included), re-read when a session
 * starts (a new project, or an edited .env).
 */
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import { createRedactor, findEnvFiles, readEnvFileValues, type Redactor } from './format/index.ts';
import { describe } from './tasks.ts';

/** Creates the redaction; `secrets` are exact values always hidden. */
export function createRedaction(deps: { core: Pick<CoreFacade, 'projects'>; secrets: readonly string[]; log: Logger }) {
  let redactor: Redactor = createRedactor({ extraValues: deps.secrets });
  const refresh = (): void => {
    const values = new Set(deps.secrets);
    for (const project of deps.core.projects.list()) {
      try {
        for (const v of readEnvFileValues(findEnvFiles(project.path))) values.add(v);
      } catch (err) {
        // Unreadable .env: its values cannot be hidden; the rest still is.
        deps.log.warn({ err: describe(err), project: project.path }, 'telegram.env_unreadable');
      }
    }
    redactor = createRedactor({ extraValues: [...values] });
  };
  refresh();
  return {
    /** The redactor to use now. */
    current: (): Redactor => redactor,
    refresh,
  };
}
/** See {@link createRedaction}. */
export type Redaction = ReturnType<typeof createRedaction>;
