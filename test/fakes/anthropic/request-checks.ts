/**
 * The checks the real Messages API makes before it looks at the conversation: the credentials,
 * the `anthropic-version` header and the request's top-level fields. Each returns the refusal
 * the real API sends (same status, error type and message wording), or null when it passes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { invalidRequest, problem, type ApiProblem } from './api-error.ts';
import { checkMessages } from './turn-checks.ts';

/** The `anthropic-version` values the real API accepts. */
const API_VERSIONS: ReadonlySet<string> = new Set(['2023-06-01', '2023-01-01']);

/**
 * `x-api-key` (what `ANTHROPIC_API_KEY` sends) or `Authorization: Bearer` (`ANTHROPIC_AUTH_TOKEN`)
 * must carry `apiKey`; anything else is a 401 `authentication_error`.
 */
export function checkCredentials(headers: IncomingHttpHeaders, apiKey: string): ApiProblem | null {
  const key = header(headers, 'x-api-key');
  if (key !== undefined) return key === apiKey ? null : problem(401, 'invalid x-api-key');
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    return authorization === `Bearer ${apiKey}` ? null : problem(401, 'Invalid bearer token');
  }
  return problem(401, 'x-api-key header is required');
}

/** `anthropic-version` is required, and must name a published version. */
export function checkVersion(headers: IncomingHttpHeaders): ApiProblem | null {
  const version = header(headers, 'anthropic-version');
  if (version === undefined) return invalidRequest('anthropic-version: header is required');
  return API_VERSIONS.has(version) ? null : invalidRequest(`anthropic-version: "${version}" is not a valid version`);
}

/**
 * The body is a JSON object (null: it was not); `model`, `max_tokens` and `messages` are required
 * and typed; `stream` is a boolean when present.
 */
export function checkBody(body: Record<string, unknown> | null): ApiProblem | null {
  if (body === null) return invalidRequest('The request body must be a JSON object.');
  const model = body['model'];
  if (model === undefined) return invalidRequest('model: Field required');
  if (typeof model !== 'string') return invalidRequest('model: Input should be a valid string');
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) return invalidRequest('max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
    return invalidRequest('max_tokens: Input should be a valid integer');
  }
  if (maxTokens < 1) return invalidRequest('max_tokens: Input should be greater than or equal to 1');
  const stream = body['stream'];
  if (stream !== undefined && typeof stream !== 'boolean') return invalidRequest('stream: Input should be a valid boolean');
  const messages = body['messages'];
  if (messages === undefined) return invalidRequest('messages: Field required');
  if (!Array.isArray(messages)) return invalidRequest('messages: Input should be a valid list');
  return checkMessages(messages);
}

/** A header's value; one sent twice reads as both values joined, as the real API reports it. */
function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
