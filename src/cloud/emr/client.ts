/**
 * The EMRClient the runner expects: SDK retries off (`maxAttempts: 1`)
 * because emr-call.ts retries with its own backoff; two layers would multiply
 * attempts (5 × 3) and delays. A client built elsewhere still works, with both.
 */
import { EMRClient, type EMRClientConfig } from '@aws-sdk/client-emr';

export function createEmrClient(config: EMRClientConfig = {}): EMRClient {
  return new EMRClient({ ...config, maxAttempts: 1 });
}
