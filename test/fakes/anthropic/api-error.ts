/**
 * The Messages API's error answers, in the real shape: the HTTP body
 * `{"type":"error","error":{"type":…,"message":…},"request_id":"req_…"}` with the error type the
 * real API uses for each status, and the `event: error` a stream can end with.
 */
import type { ServerResponse } from 'node:http';

/** The `error.type` values of the Messages API. */
type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** One refusal or failure the fake answers with: the status, and the error the body carries. */
export interface ApiProblem {
  status: number;
  type: ApiErrorType;
  message: string;
}

const TYPE_OF_STATUS: Readonly<Record<number, ApiErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** A problem with the error type the real API sends for `status`. */
export function problem(status: number, message: string): ApiProblem {
  const type = TYPE_OF_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { status, type, message };
}

/** A 400 `invalid_request_error`: what the real API answers to a malformed request. */
export function invalidRequest(message: string): ApiProblem {
  return problem(400, message);
}

/** The JSON body of an error answer. */
function errorBody(p: Pick<ApiProblem, 'type' | 'message'>, requestId: string): Record<string, unknown> {
  return { type: 'error', error: { type: p.type, message: p.message }, request_id: requestId };
}

/** Answers `p` as the real API does; `headers` adds e.g. `retry-after`. */
export function sendProblem(res: ServerResponse, p: ApiProblem, requestId: string, headers: Record<string, string> = {}): void {
  res.writeHead(p.status, { 'content-type': 'application/json', 'request-id': requestId, ...headers });
  res.end(JSON.stringify(errorBody(p, requestId)));
}
