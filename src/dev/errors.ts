/**
 * Typed errors of `npm run dev` (src/dev/). Each message says what to do next, and a child that
 * failed to start hands over its last lines of output, because that is where the real cause is.
 */
import { LoghiveError } from '../hive/errors.js';

export abstract class DevError extends LoghiveError {
  readonly exitCode = 1;
}

/** A port the dev stack was told to use is already taken. */
export class PortInUseError extends DevError {
  constructor(
    readonly port: number,
    readonly service: string,
    /** How to choose another port (the CLI flag, or the option). */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(`port ${port} on 127.0.0.1 is already in use, so ${service} cannot listen there (another \`npm run dev\`?); stop whatever uses it or ${hint}`, options);
  }
}

/** Two services of the stack were given the same port. */
export class PortConflictError extends DevError {
  constructor(
    readonly port: number,
    readonly services: readonly string[],
  ) {
    super(`${services.join(' and ')} cannot both listen on port ${port}; give them different ports (--port, --s3-port, --lambda-port)`);
  }
}

/** A child process (s3rver, serverless offline) exited or hung before it was ready. */
export class ServiceStartError extends DevError {
  constructor(
    readonly service: string,
    readonly detail: string,
    /** Its last lines of output, oldest first. */
    readonly output: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${service} did not start: ${detail}${output.length > 0 ? `\n--- last output of ${service} ---\n${output.join('\n')}` : ' (it printed nothing)'}`, options);
  }
}

/** A sample log file that the ingest route did not accept. */
export class SampleIngestError extends DevError {
  constructor(
    readonly file: string,
    readonly status: number,
    readonly body: string,
    options?: { cause?: unknown },
  ) {
    super(`loading the sample log ${file} failed: POST answered ${status} ${body.slice(0, 500)}`, options);
  }
}

/** The place for the API's private service directory holds something else. */
export class ServiceDirError extends DevError {
  constructor(readonly directory: string) {
    super(`${directory} is not empty and was not made by \`npm run dev\`; it is left alone: choose another --data-dir (its service/ subdirectory is where the API's bundles go)`);
  }
}
