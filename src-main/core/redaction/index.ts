/**
 * Secret redaction shared by everything that leaves the machine: Telegram messages and exported
 * transcripts hide the same secrets the same way.
 */
export { createRedactor, redactThenShorten, REDACTED, type Redactor } from './redact.ts';
export { readEnvFileValues, EnvFileError } from './env-values.ts';
export { createRedaction, type Redaction } from './project-redaction.ts';
