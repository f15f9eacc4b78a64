/**
 * Retries for EMR calls: capped exponential backoff with full jitter.
 *
 * Why our own loop and not only the SDK's: EMR throttles its control-plane API
 * hard (DescribeStep polling from many Lambdas), and aws-sdk-client-mock replaces
 * `client.send`, so the SDK retry middleware never runs under test. This loop
 * is the one retry layer (`createEmrClient` sets `maxAttempts: 1`), so what the
 * tests exercise is what runs in production.
 */

export interface RetryOptions {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injected in tests so retries take no time. */
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injected in tests for deterministic delays. */
  readonly random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** What kind of failure an error is, as far as retrying goes. */
export type ErrorKind = 'throttling' | 'server' | 'network' | 'other';

/** The delay before attempt `attempt + 1` (attempt is 1-based): full jitter over a capped exponential. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(options.random() * ceiling);
}

export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly kind: ErrorKind,
    readonly last: unknown,
  ) {
    super(`gave up after ${attempts} attempts`, { cause: last });
  }
}

/**
 * Runs `call` until it succeeds, `shouldRetry` says no, or attempts run out
 * (then throws RetriesExhausted with the last error). Errors `shouldRetry`
 * refuses are rethrown unchanged.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  shouldRetry: (error: unknown) => ErrorKind | undefined,
  options: RetryOptions,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = shouldRetry(error);
      if (kind === undefined) throw error;
      if (attempt >= options.maxAttempts) throw new RetriesExhausted(attempt, kind, error);
      await options.sleep(backoffDelay(attempt, options));
    }
  }
}
