/**
 * Typed errors. Each carries where the problem is, so the CLI and the API can
 * say "what and where" and map the kind to an exit status or an HTTP status.
 */

/** A position in a script: 1-based line and column. */
export interface SourcePosition {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
}

export function formatPosition(pos: SourcePosition): string {
  return `${pos.file ?? '<script>'}:${pos.line}:${pos.column}`;
}

export abstract class LoghiveError extends Error {
  abstract readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The script is not valid HiveQL (or not valid for the grammar we accept). */
export class HiveParseError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    readonly detail: string,
    readonly position: SourcePosition,
    options?: { cause?: unknown },
  ) {
    super(`${formatPosition(position)}: ${detail}`, options);
  }
}

/** Valid HiveQL that the local engine does not run; the script may still be fine on EMR. */
export class UnsupportedError extends LoghiveError {
  readonly exitCode = 2;
  constructor(
    readonly construct: string,
    readonly position: SourcePosition,
    options?: { cause?: unknown },
  ) {
    super(`${formatPosition(position)}: ${construct} is not supported by the local engine`, options);
  }
}

/** The script parses but does not make sense: unknown table or column, wrong argument types. */
export class SemanticError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    readonly detail: string,
    readonly position: SourcePosition,
    options?: { cause?: unknown },
  ) {
    super(`${formatPosition(position)}: ${detail}`, options);
  }
}

/** `${NAME}` used in a script but never defined. */
export class UndefinedVariableError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    readonly variable: string,
    readonly position: SourcePosition,
  ) {
    super(`${formatPosition(position)}: variable \${${variable}} is not defined (pass it with -d ${variable.replace(/^(hivevar|hiveconf):/, '')}=VALUE)`);
  }
}

/** A regular expression that is not valid Java syntax, or has no JavaScript equivalent. */
export class RegexError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    readonly pattern: string,
    readonly index: number,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`bad regex at index ${index}: ${detail}: ${pattern}`, options);
  }
}

/** Input data that cannot be read: a missing path, an unreadable file. */
export class InputError extends LoghiveError {
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly location?: { file: string; offset?: number; line?: number },
    options?: { cause?: unknown },
  ) {
    super(location ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}${location.offset !== undefined ? ` (byte ${location.offset})` : ''}: ${message}` : message, options);
  }
}

/** Wrong command-line usage. */
export class UsageError extends LoghiveError {
  readonly exitCode = 64;
}

/** A map or reduce task that failed on every attempt; says which input it was reading. */
export class TaskFailedError extends LoghiveError {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly location?: { file: string; offset: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
