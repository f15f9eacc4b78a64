import type { Context } from 'aws-lambda';

/**
 * Time kept back from the Lambda's own limit for the work after the engine stops: saving the
 * analysis record and answering. Without it a run that uses its whole budget would be killed
 * before it could record why.
 */
export const DEADLINE_MARGIN_MS = 3_000;

/** When there is no Lambda context (tests, local calls): API Gateway's 30 s limit less the margin. */
export const DEFAULT_BUDGET_MS = 29_000;

/** Epoch milliseconds by which the local engine must be done. */
export function engineDeadline(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, now: number = Date.now()): number {
  const remaining = context?.getRemainingTimeInMillis?.() ?? DEFAULT_BUDGET_MS;
  return now + Math.max(0, remaining - DEADLINE_MARGIN_MS);
}
