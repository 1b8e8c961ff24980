/**
 * The redactor of everything that leaves the machine (Telegram messages, exported transcripts): known secret formats, Reins' own secrets (the bot
 * token, the signing key), and every value of the projects' .env and .envrc files (subfolders
 * included), re-read when a session
 * starts (a new project, or an edited .env).
 */
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../log.ts';
import { findEnvFiles, readEnvFileValues } from './env-values.ts';
import { createRedactor, type Redactor } from './redact.ts';

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
        deps.log.warn({ err: err instanceof Error ? err.message : String(err), project: project.path }, 'redaction.env_unreadable');
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
