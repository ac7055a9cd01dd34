import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { EnvProblems } from '../env.js';
import { ENV_FILE } from '../env.js';

/** The end of every "not configured" message: `Set it in .env and restart.` with the project's own env file. */
export function setInEnvFile(what = 'it'): string {
  return `Set ${what} in ${ENV_FILE} and restart.`;
}

/** An error whose status and message are safe to send to the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to this answer, e.g. a 401's `WWW-Authenticate`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Turns a provider's HTTP status into ours. The provider's own text is only passed on for
 * request problems (400, 404): other messages can echo parts of a credential.
 */
export function providerError(provider: string, status: number | undefined, providerMessage?: string): HttpError {
  if (status === undefined) return new HttpError(503, `${provider} could not be reached. Try again later.`);
  if (status === 400 || status === 422) return new HttpError(400, withDetail(`${provider} rejected the request.`, providerMessage));
  // 502, not 401: the caller's own token is fine, it is this app's key that the provider refused.
  if (status === 401 || status === 403) return new HttpError(502, `${provider} rejected the credentials. Check the API key.`);
  if (status === 402) return new HttpError(402, `${provider} refused the request for billing reasons. Check the account's credit.`);
  if (status === 404) return new HttpError(404, withDetail(`${provider} could not find what was asked for.`, providerMessage));
  if (status === 408 || status === 429) return new HttpError(429, `${provider} is rate limiting this app. Retry later.`);
  if (status >= 500) return new HttpError(502, `${provider} failed to answer (status ${status}). Try again later.`);
  return new HttpError(502, `${provider} answered with an unexpected status ${status}.`);
}

function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message} ${detail.slice(0, 300)}` : message;
}

/** The 503 of a plugin whose variables are missing or invalid: it names each one. */
export function notConfiguredError(name: string, problems: EnvProblems): HttpError {
  return new HttpError(503, `${name} is not configured: ${describeEnvProblems(problems)}. ${setInEnvFile()}`, {
    missing: problems.missing,
    invalid: problems.invalid,
  });
}

/** `missing A, B; C must be ...`: what is wrong with a plugin's variables, in one phrase. */
export function describeEnvProblems(problems: EnvProblems): string {
  return [
    ...(problems.missing.length > 0 ? [`missing ${problems.missing.join(', ')}`] : []),
    ...problems.invalid.map((problem) => `${problem.name} ${problem.message}`),
  ].join('; ');
}

/** Answers every unmatched route with a JSON 404. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, `No route for ${req.method} ${req.path}.`));
};

/** The one place errors become responses: known errors keep their status, anything else is a bare 500. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const httpError = toHttpError(error);
  if (httpError.status === 500) {
    // Only the unexpected is logged (known errors already told the client what happened);
    // name and message only: stack traces and request bodies stay out of the logs.
    console.error(`${req.method} ${req.originalUrl} failed: ${describeError(error)}`);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  if (httpError.headers) res.set(httpError.headers);
  // RFC 9110: a 401 names the scheme that would be accepted.
  if (httpError.status === 401 && !res.get('WWW-Authenticate')) res.set('WWW-Authenticate', 'Bearer');
  res.status(httpError.status).json({ error: { message: httpError.message, details: httpError.details } });
};

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const status = clientErrorStatus(error);
  if (status === undefined) return new HttpError(500, 'Internal server error.');
  // Express's own body parsers mark client mistakes (bad JSON, too large) as safe to expose.
  if ((error as { expose?: unknown }).expose === true && error instanceof Error) return new HttpError(status, error.message);
  // Express answers a malformed %-encoding in a path parameter with a 400 URIError whose message quotes
  // the parameter; any other unexposed message may say more than the client should hear.
  if (error instanceof URIError) return new HttpError(status, 'The URL is malformed: check its percent-encoding.');
  return new HttpError(status, 'The request is malformed.');
}

// The 4xx status that Express, its body parsers (`status`) or Node (`statusCode`) set on an error, if any.
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = status ?? statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

/** `Name: message` of an error for the server log, with its cause's message (Node's `fetch failed` says why only there). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { cause } = error as { cause?: unknown };
  return `${error.name}: ${error.message}${cause instanceof Error ? ` (${cause.message})` : ''}`;
}
