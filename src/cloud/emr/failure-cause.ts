/**
 * The probable cause of a failed step, read from the logs EMR copies to
 * `<logUri>/<cluster-id>/steps/<step-id>/{stderr,controller}.gz` a few minutes
 * after the step ends. Hive prints the error that matters as one `FAILED:`
 * line on stderr; controller.gz only knows the exit code.
 *
 * Logs are read through Storage (S3 in the cloud, a directory in tests),
 * gunzipped as a stream and scanned line by line: memory stays bounded by the
 * line cap, and reading stops after `maxBytes` decompressed bytes (gzip bombs,
 * huge MapReduce progress logs).
 */
import { createGunzip } from 'node:zlib';
import type { SourcePosition } from '../../hive/errors.js';
import type { Storage } from '../../storage/storage.js';

export type StepLogCauseKind = 'ParseException' | 'SemanticException' | 'ExecutionError' | 'HiveError' | 'JavaException' | 'ExitCode';

export interface StepLogCause {
  readonly kind: StepLogCauseKind;
  /** The log line, from `FAILED:` on when Hive printed one. */
  readonly line: string;
  /**
   * Where Hive stopped, in the script as submitted (`scripts/<id>.q`, the
   * rendered job). Hive prints a 0-based column (`line 3:7`); this is 1-based
   * like every SourcePosition in loghive, so column = Hive's + 1.
   */
  readonly position?: SourcePosition;
  /** Hive's `[Error 10001]`; the return code of an Execution Error; the process exit code for kind ExitCode. */
  readonly errorCode?: number;
  /** The Java exception behind an Execution Error, when stderr has one. */
  readonly detail?: string;
}

export type FailureCause =
  | { readonly available: false; readonly logDirectory: string; readonly message: string }
  | {
      readonly available: true;
      readonly logDirectory: string;
      /** The file the cause was read from (or the last file read when none was found). */
      readonly logFile: string;
      readonly cause?: StepLogCause;
      readonly message: string;
      /** True when a file was longer than maxBytes and only its beginning was scanned. */
      readonly truncated: boolean;
    };

export interface StepLogRef {
  readonly logUri: string;
  readonly clusterId: string;
  readonly stepId: string;
  /**
   * FailureDetails.LogFile from DescribeStep (`s3://…/<cluster-id>/steps/<step-id>/stderr.gz`):
   * when it is in this step's directory, that directory is read instead of the one under
   * `logUri`, so a shared cluster that logs elsewhere is still found.
   */
  readonly emrLogFile?: string;
}

export const DEFAULT_MAX_LOG_BYTES = 64 * 1024 * 1024;
const MAX_LINE_CHARS = 8 * 1024;

export function stepLogDirectory(storage: Storage, ref: StepLogRef): string {
  const fromEmr = ref.emrLogFile?.replace(/^s3n:\/\//, 's3://');
  if (fromEmr && storage.handles(fromEmr)) {
    const suffix = `/${ref.clusterId}/steps/${ref.stepId}/`;
    const at = fromEmr.lastIndexOf(suffix);
    if (at > 0 && !fromEmr.slice(at + suffix.length).includes('/')) return fromEmr.slice(0, at + suffix.length - 1);
  }
  return storage.join(ref.logUri, ref.clusterId, 'steps', ref.stepId);
}

export async function readFailureCause(storage: Storage, ref: StepLogRef, maxBytes: number = DEFAULT_MAX_LOG_BYTES): Promise<FailureCause> {
  const logDirectory = stepLogDirectory(storage, ref);
  let lastRead: { file: string; truncated: boolean } | undefined;
  let readError: { file: string; error: unknown } | undefined;
  for (const name of ['stderr.gz', 'controller.gz'] as const) {
    const file = storage.join(logDirectory, name);
    const scanned = await scanLogFile(storage, file, maxBytes);
    if (scanned.kind === 'missing') continue;
    if (scanned.kind === 'error') {
      readError ??= { file, error: scanned.error };
      continue;
    }
    lastRead = { file, truncated: scanned.truncated };
    if (scanned.cause) {
      return { available: true, logDirectory, logFile: file, cause: scanned.cause, message: scanned.cause.line, truncated: scanned.truncated };
    }
  }
  if (!lastRead) {
    // A permission or gzip problem must not read as "not there yet": say what failed.
    if (readError) return { available: false, logDirectory, message: `could not read ${readError.file}: ${describe(readError.error)}` };
    return { available: false, logDirectory, message: `step logs are not in ${logDirectory}/ yet; EMR copies them a few minutes after the step ends` };
  }
  return {
    available: true,
    logDirectory,
    logFile: lastRead.file,
    message: `no Hive error or exception line in the step logs under ${logDirectory}/`,
    truncated: lastRead.truncated,
  };
}

type ScanResult = { readonly kind: 'missing' } | { readonly kind: 'error'; readonly error: unknown } | { readonly kind: 'read'; readonly cause?: StepLogCause; readonly truncated: boolean };

async function scanLogFile(storage: Storage, file: string, maxBytes: number): Promise<ScanResult> {
  try {
    const listed = await storage.listFiles(file);
    if (!listed || listed.length === 0) return { kind: 'missing' };
    const scanner = new CauseScanner();
    const truncated = await forEachLine(storage, file, maxBytes, (line) => scanner.add(line));
    const cause = scanner.result();
    return { kind: 'read', ...(cause ? { cause } : {}), truncated };
  } catch (error) {
    return { kind: 'error', error };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function forEachLine(storage: Storage, file: string, maxBytes: number, onLine: (line: string) => void): Promise<boolean> {
  const source = storage.openRead(file);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let total = 0;
  let truncated = false;
  const emit = (text: string): void => {
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, Math.min(nl, MAX_LINE_CHARS)).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
    // A line without end: keep only its head so memory stays bounded.
    if (pending.length > MAX_LINE_CHARS * 2) pending = pending.slice(0, MAX_LINE_CHARS);
  };
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const room = maxBytes - total;
      if (chunk.length > room) {
        emit(decoder.decode(chunk.subarray(0, room), { stream: true }));
        truncated = true;
        break;
      }
      total += chunk.length;
      emit(decoder.decode(chunk, { stream: true }));
    }
    emit(decoder.decode());
    if (pending.length > 0) onLine(pending.slice(0, MAX_LINE_CHARS));
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  return truncated;
}

const FAILED = /FAILED: (.*)$/;
const PARSE = /^ParseException line (\d+):(\d+) /;
const SEMANTIC = /^SemanticException (?:\[Error (\d+)\]: )?(?:[Ll]ine (\d+):(\d+) )?/;
const EXECUTION = /^Execution Error, return code (\d+) from /;
// `java.lang.RuntimeException: …`, `Caused by: org.apache….HiveException: …`, `Error: java.io.IOException: …` (MapReduce diagnostics).
const JAVA_EXCEPTION = /^(?:Exception in thread "[^"]*" |Caused by: |Error: )?((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error))(?::.*)?$/;
// controller: `WARN Step failed with exitCode 1 and took 20 seconds`, `INFO waitProcessCompletion ended with exit code 1 : …`
const EXIT_CODE = /(?:Step failed with exitCode|ended with exit code) (\d+)/;

/** Finds the most probable cause in a stream of log lines. Exported for tests. */
export class CauseScanner {
  private failed: string | undefined;
  private firstException: string | undefined;
  private lastCausedBy: string | undefined;
  private exitCode: { line: string; code: number } | undefined;

  add(rawLine: string): void {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('at ')) return;
    if (this.failed === undefined) {
      const m = FAILED.exec(line);
      if (m) this.failed = `FAILED: ${m[1]}`;
    }
    const java = JAVA_EXCEPTION.exec(line);
    if (java) {
      if (line.startsWith('Caused by: ')) this.lastCausedBy = line;
      else this.firstException ??= line;
    }
    const exit = EXIT_CODE.exec(line);
    if (exit && Number(exit[1]) !== 0) this.exitCode ??= { line, code: Number(exit[1]) };
  }

  result(): StepLogCause | undefined {
    const javaLine = this.lastCausedBy ?? this.firstException;
    if (this.failed !== undefined) return classifyFailedLine(this.failed, javaLine);
    if (javaLine !== undefined) return { kind: 'JavaException', line: javaLine };
    if (this.exitCode) return { kind: 'ExitCode', line: this.exitCode.line, errorCode: this.exitCode.code };
    return undefined;
  }
}

function classifyFailedLine(line: string, javaLine: string | undefined): StepLogCause {
  const body = line.slice('FAILED: '.length);
  const parse = PARSE.exec(body);
  if (parse) return { kind: 'ParseException', line, position: hivePosition(parse[1], parse[2]) };
  const semantic = SEMANTIC.exec(body);
  if (semantic) {
    return {
      kind: 'SemanticException',
      line,
      ...(semantic[1] ? { errorCode: Number(semantic[1]) } : {}),
      ...(semantic[2] && semantic[3] ? { position: hivePosition(semantic[2], semantic[3]) } : {}),
    };
  }
  const execution = EXECUTION.exec(body);
  if (execution) return { kind: 'ExecutionError', line, errorCode: Number(execution[1]), ...(javaLine ? { detail: javaLine } : {}) };
  return { kind: 'HiveError', line };
}

function hivePosition(line: string, column: string): SourcePosition {
  return { line: Number(line), column: Number(column) + 1 };
}
