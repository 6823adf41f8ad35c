import { LoggerService } from '@backstage/backend-plugin-api';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ProviderRequestError,
  providerMessageOf,
} from './ProviderRequestError';
import { ResponseShape, shapeProblem } from './responseShape';
import { backoffDelay, retryDelayFromHeaders } from './retryDelay';

/** @public */
export interface ProviderHttpClientOptions {
  /** The provider's name, as users know it, for messages: `GitHub`, `PagerDuty`. */
  provider: string;
  /** Longest wait for one answer; default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 3. */
  maxRetries?: number;
  /** First backoff step when the provider gives no retry header; default 500 ms. */
  retryBaseDelayMs?: number;
  /**
   * Longest wait honoured between attempts, default 30 s. A provider asking
   * for a longer pause fails the call at once, saying when to try again.
   */
  maxRetryDelayMs?: number;
  /** Values that must never appear in an error message (tokens, keys). */
  secrets?: Array<string | undefined>;
  logger?: LoggerService;
  /** For tests and custom transports; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** @public */
export interface ProviderRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /**
   * Repeating this request is harmless, so it is retried on 5xx answers,
   * timeouts and network failures too. GET, HEAD, PUT and DELETE are
   * idempotent by default; POST and PATCH only retry rate limits unless set.
   */
  idempotent?: boolean;
  /** Error statuses that are answers here (for example 404 for "absent"). */
  accept?: number[];
  /** Extra fetch options, for example an undici `dispatcher` carrying a CA. */
  fetchOptions?: Record<string, unknown>;
  /** Secrets of this request only (for example a short-lived app token). */
  secrets?: Array<string | undefined>;
}

/** @public */
export interface ProviderJsonRequest extends ProviderRequest {
  /** What the answer must look like; `json` fails naming the first field that does not fit. */
  shape?: ResponseShape;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * HTTP for provider modules: a timeout on every attempt, bounded retries with
 * backoff on 429 and 5xx that honour the provider's retry headers, no retry
 * on permission or input errors, and error messages that name the provider
 * and never carry a secret.
 *
 * @public
 */
export class ProviderHttpClient {
  private readonly provider: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly secrets: string[];
  private readonly logger?: LoggerService;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ProviderHttpClientOptions) {
    this.provider = options.provider;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.secrets = usableSecrets(options.secrets);
    this.logger = options.logger;
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  }

  /** Sends the request and returns a successful (or accepted) answer. */
  async request(url: string, request: ProviderRequest = {}): Promise<Response> {
    const method = (request.method ?? 'GET').toUpperCase();
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const where = `${method} ${withoutQuery(url)}`;
    const secrets = usableSecrets(request.secrets);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.maxRetries;
      let response: Response;
      try {
        response = await this.attempt(url, method, request);
      } catch (error) {
        if (request.signal?.aborted) {
          throw request.signal.reason ?? error;
        }
        if (error instanceof ProviderRequestError) {
          throw error;
        }
        const failure = this.networkError(error, where, secrets);
        if (!idempotent || last) {
          throw failure;
        }
        await this.pause(
          backoffDelay(attempt, this.retryBaseDelayMs, this.maxRetryDelayMs),
          failure.message,
          attempt,
          request.signal,
        );
        continue;
      }
      if (response.ok || request.accept?.includes(response.status)) {
        return response;
      }
      const failure = await this.errorOf(response, where, secrets);
      const retryable =
        failure.rateLimited || (idempotent && failure.transient);
      if (!retryable || last) {
        throw failure;
      }
      const asked = retryDelayFromHeaders(response.headers);
      if (asked !== undefined && asked > this.maxRetryDelayMs) {
        throw new ProviderRequestError({
          provider: this.provider,
          status: failure.status,
          providerMessage: failure.providerMessage,
          body: failure.body,
          rateLimited: failure.rateLimited,
          message: `${failure.message}; it asks to wait ${describeMs(
            asked,
          )} (until ${new Date(
            Date.now() + asked,
          ).toISOString()}), try again then`,
        });
      }
      await this.pause(
        asked ??
          backoffDelay(attempt, this.retryBaseDelayMs, this.maxRetryDelayMs),
        failure.message,
        attempt,
        request.signal,
      );
    }
  }

  /** Sends the request and parses the JSON answer. */
  async json<T>(url: string, request: ProviderJsonRequest = {}): Promise<T> {
    const { shape, ...rest } = request;
    const response = await this.request(url, {
      ...rest,
      headers: { accept: 'application/json', ...request.headers },
    });
    return this.readBody<T>(response, url, request);
  }

  /**
   * Parses the JSON body of an answer from {@link ProviderHttpClient.request},
   * failing, with the provider named and no secret quoted, when it is not
   * JSON or not of the `shape`.
   */
  async readBody<T>(
    response: Response,
    url: string,
    options: Pick<ProviderJsonRequest, 'method' | 'shape' | 'secrets'> = {},
  ): Promise<T> {
    const text = this.redact(
      await response.text(),
      usableSecrets(options.secrets),
    );
    const body = parseJson<T>(text, response.status, this.provider, url);
    const problem = options.shape && shapeProblem(body, options.shape);
    if (problem) {
      throw this.unexpectedBody(options.method, url, response.status, problem);
    }
    return body;
  }

  /**
   * The error for an answer that parsed but is not what the provider
   * documents: names the provider, the request and what was wrong.
   */
  unexpectedBody(
    method: string | undefined,
    url: string,
    status: number,
    problem: string,
  ): ProviderRequestError {
    return new ProviderRequestError({
      provider: this.provider,
      status,
      message: this.redact(
        `${this.provider} answered ${(
          method ?? 'GET'
        ).toUpperCase()} ${withoutQuery(
          url,
        )} with a body Ownops does not understand: ${problem}`,
      ),
    });
  }

  /** Removes every configured secret (and `extra` ones) from a text, for logs and messages. */
  redact(text: string, extra: string[] = []): string {
    return [...this.secrets, ...extra]
      .sort((a, b) => b.length - a.length)
      .reduce((result, secret) => result.split(secret).join('***'), text);
  }

  /**
   * One attempt: the request and the redirects it gets on the same origin
   * (a renamed repository, a trailing slash). A redirect to another host is
   * refused: URLs Ownops calls come from config, and the credentials must
   * not travel elsewhere.
   */
  private async attempt(
    url: string,
    method: string,
    request: ProviderRequest,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = request.signal
      ? AbortSignal.any([request.signal, timeout])
      : timeout;
    let current = url;
    let currentMethod = method;
    let body = request.body;
    for (let hop = 0; ; hop++) {
      const response = await this.fetchImpl(current, {
        ...request.fetchOptions,
        method: currentMethod,
        headers: request.headers,
        body,
        signal,
        redirect: 'manual',
      } as RequestInit);
      const location = REDIRECT_STATUSES.has(response.status)
        ? response.headers.get('location')
        : null;
      if (!location) {
        return response;
      }
      await response.body?.cancel();
      const next = new URL(location, current);
      const where = `${method} ${withoutQuery(url)}`;
      if (next.origin !== new URL(current).origin || hop >= MAX_REDIRECTS) {
        throw new ProviderRequestError({
          provider: this.provider,
          status: response.status,
          message: `${this.provider} answered ${where} with ${
            hop >= MAX_REDIRECTS
              ? `more than ${MAX_REDIRECTS} redirects`
              : `a redirect to another host (${next.origin})`
          }, which Ownops does not follow; configure the URL of the API itself`,
        });
      }
      // As browsers do: 303, and 301/302 after a POST, continue with a GET.
      if (
        response.status === 303 ||
        (currentMethod === 'POST' && response.status <= 302)
      ) {
        currentMethod = 'GET';
        body = undefined;
      }
      current = next.toString();
    }
  }

  private networkError(
    error: unknown,
    where: string,
    secrets: string[],
  ): ProviderRequestError {
    const name = (error as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new ProviderRequestError({
        provider: this.provider,
        message: `${this.provider} did not answer ${where} within ${describeMs(
          this.timeoutMs,
        )}`,
        cause: error,
      });
    }
    const cause = (error as { cause?: { code?: string; message?: string } })
      ?.cause;
    const detail = cause?.code ?? cause?.message ?? String(error);
    return new ProviderRequestError({
      provider: this.provider,
      message: this.redact(
        `${this.provider} could not be reached for ${where}: ${detail}`,
        secrets,
      ),
      cause: error,
    });
  }

  private async errorOf(
    response: Response,
    where: string,
    secrets: string[],
  ): Promise<ProviderRequestError> {
    const text = this.redact(await response.text().catch(() => ''), secrets);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    const providerMessage = providerMessageOf(body);
    const rateLimited =
      response.status === 429 ||
      (response.status === 403 &&
        (response.headers.get('x-ratelimit-remaining') === '0' ||
          response.headers.has('retry-after')));
    const reason = response.statusText || STATUS_CODES[response.status];
    const status = `${response.status}${reason ? ` ${reason}` : ''}`;
    return new ProviderRequestError({
      provider: this.provider,
      status: response.status,
      providerMessage,
      body,
      rateLimited,
      message: this.redact(
        `${this.provider} answered ${status} to ${where}${
          providerMessage ? `: ${providerMessage}` : ''
        }`,
        secrets,
      ),
    });
  }

  private async pause(
    ms: number,
    reason: string,
    attempt: number,
    signal?: AbortSignal,
  ) {
    this.logger?.warn(
      `${reason}; retry ${attempt + 1} of ${this.maxRetries} in ${(
        ms / 1000
      ).toFixed(1)} s`,
    );
    try {
      await sleep(ms, undefined, { signal });
    } catch (error) {
      throw signal?.reason ?? error;
    }
  }
}

/** Parses a JSON answer, failing with a message that names the provider. */
export async function readJson<T>(
  response: Response,
  provider: string,
  url: string,
): Promise<T> {
  return parseJson<T>(await response.text(), response.status, provider, url);
}

function parseJson<T>(
  text: string,
  status: number,
  provider: string,
  url: string,
): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProviderRequestError({
      provider,
      status,
      message: `${provider} answered ${withoutQuery(
        url,
      )} with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
    });
  }
}

/**
 * The secrets, each with the credential inside an Authorization-style value
 * too (`Bearer x` → `x`, `Token token=x` → `x`, `Basic b64` → `user:pass`
 * and `pass`), since a provider may echo either. Longest first, so no part
 * of a longer secret survives the redaction of a shorter one.
 */
function usableSecrets(secrets?: Array<string | undefined>): string[] {
  const all = new Set<string>();
  for (const secret of secrets ?? []) {
    if (!secret) continue;
    all.add(secret);
    const credential = /^([A-Za-z][\w-]*)\s+(?:token=)?(\S.*)$/.exec(
      secret.trim(),
    );
    if (credential) {
      all.add(credential[2]);
      if (credential[1].toLowerCase() === 'basic') {
        const decoded = Buffer.from(credential[2], 'base64').toString('utf8');
        all.add(decoded);
        all.add(decoded.slice(decoded.indexOf(':') + 1));
      }
    }
  }
  return [...all]
    .filter(secret => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
}

/** `250 ms` below a second, whole seconds (`3 s`, `120 s`) from there on. */
function describeMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.ceil(ms / 1000)} s`;
}

function withoutQuery(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}
