/**
 * Text for Telegram: agent Markdown → Telegram HTML, splitting past the 4096 limit, and
 * redaction of secrets (redact plain text before converting; `redactHtml` for built HTML).
 */
export { markdownToTelegramHtml } from './markdown-to-html.ts';
export { splitTelegramHtml, telegramVisibleLength, SplitLimitError } from './split.ts';
export { createRedactor, redactThenShorten, REDACTED, type Redactor } from '../../../core/redaction/index.ts';
export { redactHtml } from './redact-html.ts';
export { readEnvFileValues, EnvFileError } from '../../../core/redaction/index.ts';
export { escapeHtml } from './html-escape.ts';
