/**
 * Typed errors for the whole application. Callers branch on `instanceof`; handlers map
 * `AppError` subclasses to HTTP statuses and expose `message` only below 500.
 */
export class AppError extends Error {
  override name = "AppError";
  readonly status: number = 500;
}

/** Input that does not match its schema. `message` is safe to show to the caller; `field` names the culprit. */
export class ValidationError extends AppError {
  override name = "ValidationError";
  override readonly status = 400;
  readonly field: string | undefined;

  constructor(message: string, options?: ErrorOptions & { field?: string }) {
    super(message, options);
    this.field = options?.field;
  }
}

export class UnauthorizedError extends AppError {
  override name = "UnauthorizedError";
  override readonly status = 401;
}

export class ForbiddenError extends AppError {
  override name = "ForbiddenError";
  override readonly status = 403;
}

export class NotFoundError extends AppError {
  override name = "NotFoundError";
  override readonly status = 404;
}

/** A conditional write lost a race, or a state transition is not allowed from the current state. */
export class ConflictError extends AppError {
  override name = "ConflictError";
  override readonly status = 409;
}

/**
 * Text the official account would say names contacts that are not in the registry (product.md §4):
 * refused, nothing sent or stored. `contacts` are as the writer typed them, to show the writer only.
 */
export class UnofficialContactError extends AppError {
  override name = "UnofficialContactError";
  override readonly status = 422;
  readonly contacts: string[];

  constructor(contacts: string[]) {
    const named = contacts.map((c) => `"${c.length > 80 ? `${c.slice(0, 79)}…` : c}"`);
    const list = named.length > 5 ? [...named.slice(0, 5), `and ${named.length - 5} more`] : named;
    super(
      `text: ${list.join(", ")} ${contacts.length === 1 ? "is" : "are"} not in the official contact registry; ` +
        "replies may give only official contacts",
    );
    this.contacts = contacts.slice(0, 20);
  }
}

/** A platform API answered with an error; keeps what is needed to diagnose it, never the token. */
export class ChannelApiError extends AppError {
  override name = "ChannelApiError";
  override readonly status = 502;
  readonly platform: string;
  readonly method: string;
  readonly apiStatus: number;
  /** Set when the platform says whether a retry can succeed; otherwise the HTTP status decides. */
  retryable?: boolean;

  constructor(platform: string, method: string, apiStatus: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.platform = platform;
    this.method = method;
    this.apiStatus = apiStatus;
  }
}

/**
 * Too many attempts (bad agent tokens from one address, a flood of messages from one user); try
 * again later, after `retryAfterSeconds` when it is known.
 */
export class TooManyRequestsError extends AppError {
  override name = "TooManyRequestsError";
  override readonly status = 429;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options?: ErrorOptions & { retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/**
 * Busy for now (e.g. a conversation that many writers raced for): the caller may try again after
 * `retryAfterSeconds`. The message is safe to show; it names no internal id.
 */
export class ServiceUnavailableError extends AppError {
  override name = "ServiceUnavailableError";
  override readonly status = 503;
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, options?: ErrorOptions) {
    super(message, options);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
