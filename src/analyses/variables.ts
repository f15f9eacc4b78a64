/**
 * A caller's vars checked against the job's declared variables. Values end up
 * inside Hive string literals ('${FROM}') and as `-d NAME=VALUE` step
 * arguments, so anything that could leave the literal or trigger Hive's
 * nested substitution (`${env:…}` would read the Lambda's environment) is
 * refused here, before any script is rendered.
 */
import { z } from 'zod';
import { daysInMonth } from '../hive/cast.js';
import { InvalidRequestError, InvalidVariableError, MissingVariableError, ReservedVariableError, UnknownVariableError } from './errors.js';
import type { JobDefinition } from './job-catalog.js';

/** What the caller's vars may look like at all (names are checked against the job afterwards). */
const VarsShape = z.record(z.string(), z.string());

/**
 * The characters a value may use: those of dates, numbers and S3 URIs. The
 * same set the EMR step accepts (src/cloud/emr/hive-step.ts), so a value
 * accepted here is never refused at submit time; quotes, backslashes, `$`,
 * `;`, spaces and control characters (newlines included) are all outside it.
 */
const SAFE_VALUE = /^[A-Za-z0-9._~:/=+,@%-]*$/;
const MAX_VALUE_LENGTH = 256;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

export interface ValidatedVariables {
  /** The caller's variables, exactly the job's non-service ones. */
  readonly values: Readonly<Record<string, string>>;
  /** FROM and TO when the job declares them. */
  readonly range?: DateRange;
}

/** Checks `vars` (untrusted JSON) against `job`; throws a typed error naming the first offending variable. */
export function validateVariables(job: JobDefinition, vars: unknown): ValidatedVariables {
  const parsed = VarsShape.safeParse(vars ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path[0];
    if (typeof name === 'string') throw new InvalidVariableError(name, 'must be a string');
    throw new InvalidRequestError('vars must be an object of NAME: "value" strings');
  }
  const given = parsed.data;
  const declared = job.variables;
  const accepted = declared.filter((v) => !v.setByService).map((v) => v.name);
  for (const name of Object.keys(given)) {
    if (declared.some((v) => v.name === name && v.setByService)) throw new ReservedVariableError(name);
    if (!accepted.includes(name)) throw new UnknownVariableError(name, job.name, accepted);
  }
  for (const name of accepted) if (given[name] === undefined) throw new MissingVariableError(name, job.name);

  const values: Record<string, string> = {};
  for (const v of declared) {
    if (v.setByService) continue;
    const value = given[v.name]!;
    if (value.length > MAX_VALUE_LENGTH) throw new InvalidVariableError(v.name, `longer than ${MAX_VALUE_LENGTH} characters`);
    if (!SAFE_VALUE.test(value)) throw new InvalidVariableError(v.name, 'may only contain letters, digits and . _ ~ : / = + , @ % - (no quotes, spaces, $, ; or newlines)');
    if (isDateVariable(v.name, v.description) && !isIsoDate(value)) throw new InvalidVariableError(v.name, `${JSON.stringify(value)} is not a date in yyyy-MM-dd form`);
    values[v.name] = value;
  }
  const from = values.FROM;
  const to = values.TO;
  if (from !== undefined && to !== undefined && from > to) throw new InvalidVariableError('FROM', `FROM (${from}) is after TO (${to})`);
  return { values, range: from !== undefined && to !== undefined ? { from, to } : undefined };
}

/** FROM and TO, and any variable the header documents as yyyy-MM-dd. */
function isDateVariable(name: string, description: string): boolean {
  return name === 'FROM' || name === 'TO' || description.includes('yyyy-MM-dd');
}

/** A real calendar day in yyyy-MM-dd (so canonical DATE text compares as dates do). */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}
