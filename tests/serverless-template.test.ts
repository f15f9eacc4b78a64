/**
 * The deployment as CloudFormation: `serverless package` (osls, offline, no credentials) and
 * assertions on the generated template and zips. What is checked here is what a reviewer of
 * the stack would check: every route authenticated, every function's permissions limited to
 * its own prefixes, the bucket private and TLS-only, the runtime and package contents right.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/cloud/config.js';
import { EMR_IAM_ACTIONS } from '../src/cloud/emr/iam-actions.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, Json>;
  readonly DependsOn?: Json;
  readonly Condition?: string;
}
interface Template {
  readonly Resources: Record<string, Resource>;
  readonly Conditions?: Record<string, Json>;
  readonly Outputs?: Record<string, { Condition?: string; Value: Json }>;
}

/** Runs `serverless package` into a fresh directory with no AWS credentials in the environment. */
async function packageService(extraArgs: string[] = []): Promise<{ dir: string; template: Template }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'loghive-sls-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_SDK_LOAD_CONFIG: '0' };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) delete env[key];
  // An empty credentials file: nothing on this machine can leak in.
  env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'no-credentials');
  env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
  await run('npx', ['serverless', 'package', '--package', dir, ...extraArgs], { cwd: root, env, maxBuffer: 16 * 2 ** 20 });
  const template = JSON.parse(await readFile(path.join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
  return { dir, template };
}

// ---------------------------------------------------------------------------------------------
// A small evaluator for the intrinsic functions the template uses, so that statements compare as
// plain strings: Ref X → "${X}", GetAtt X.Arn → "${X.Arn}", Sub keeps its ${…} placeholders.

const NO_VALUE = Symbol('AWS::NoValue');
type Value = Json | typeof NO_VALUE;

function evalCondition(template: Template, name: string): boolean {
  const expr = template.Conditions?.[name];
  if (expr === undefined) throw new Error(`no condition ${name}`);
  return Boolean(evaluate(template, expr));
}

function evaluate(template: Template, node: Json): Value {
  if (Array.isArray(node)) return node.map((n) => evaluate(template, n)).filter((v): v is Json => v !== NO_VALUE);
  if (node === null || typeof node !== 'object') return node;
  const keys = Object.keys(node);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = node[key]!;
    switch (key) {
      case 'Ref':
        return arg === 'AWS::NoValue' ? NO_VALUE : `\${${String(arg)}}`;
      case 'Fn::GetAtt':
        return `\${${(arg as string[]).join('.')}}`;
      case 'Fn::Sub': {
        if (typeof arg === 'string') return arg;
        const [text, vars] = arg as [string, Record<string, Json>];
        return text.replace(/\$\{([^}]+)\}/g, (m, v: string) => (v in vars ? String(evaluate(template, vars[v]!)) : m));
      }
      case 'Fn::Join': {
        const [sep, parts] = arg as [string, Json[]];
        return (evaluate(template, parts) as Json[]).map(String).join(sep);
      }
      case 'Fn::If': {
        const [cond, yes, no] = arg as [string, Json, Json];
        return evaluate(template, evalCondition(template, cond) ? yes : no);
      }
      case 'Fn::Equals': {
        const [a, b] = (arg as Json[]).map((x) => evaluate(template, x));
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Not':
        return !evaluate(template, (arg as Json[])[0]!);
      case 'Condition':
        return evalCondition(template, String(arg));
    }
  }
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(node)) {
    const r = evaluate(template, v);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}

interface Statement {
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (v: Json | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function roleStatements(template: Template, roleId: string): Statement[] {
  const role = template.Resources[roleId];
  if (!role || role.Type !== 'AWS::IAM::Role') throw new Error(`no role ${roleId}`);
  expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
  const policies = evaluate(template, role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Record<string, Json>[] } }[];
  return policies.flatMap((p) =>
    p.PolicyDocument.Statement.map((s) => ({
      Effect: String(s.Effect),
      Action: list(s.Action),
      Resource: list(s.Resource),
      ...(s.Condition ? { Condition: s.Condition as Statement['Condition'] } : {}),
    })),
  );
}

/** "action resource" pairs: the unit of what a role may do. */
function grants(statements: readonly Statement[]): string[] {
  return statements.flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${s.Effect} ${a} ${r}`))).sort();
}

// ---------------------------------------------------------------------------------------------
// What each function may do, written out: a change to serverless.yml that widens a role fails here.

const BUCKET = '${DataBucket.Arn}';
const CLUSTERS = 'arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/*';
const logGrants = (fn: string): string[] =>
  ['logs:CreateLogStream', 'logs:PutLogEvents'].map((a) => `Allow ${a} arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/loghive-dev-${fn}:*`);
const s3 = (actions: string[], prefixes: string[]): string[] => actions.flatMap((a) => prefixes.map((p) => `Allow ${a} ${BUCKET}/${p}*`));
const listBucket = ['Allow s3:ListBucket ${DataBucket.Arn}'];

interface FunctionSpec {
  readonly handler: string;
  readonly role: string;
  readonly route?: string;
  readonly grants: string[];
  /** Goes through S3Storage, so it may list the bucket (HEAD of a missing key is a 404 only with s3:ListBucket). */
  readonly lists?: true;
  /** Static HTML with no data: the one route without an authorizer (a browser loads it before it can sign in). */
  readonly public?: true;
  /** LOGHIVE_* variables of its own besides the documented ones (docs/cloud.md §Web page). */
  readonly extraEnv?: readonly string[];
  /** With webPage=true, its JWT-authorized copy under /app/ (the page's calls). */
  readonly appRoute?: string;
}

const FUNCTIONS: Record<string, FunctionSpec> = {
  ingestLogs: {
    handler: 'handlers/ingest-logs.handler',
    role: 'IngestLogsRole',
    route: 'POST /logs/{table}',
    grants: [...logGrants('ingestLogs'), ...s3(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], ['logs/']), ...listBucket],
    lists: true,
  },
  createUpload: {
    handler: 'handlers/create-upload.handler',
    role: 'CreateUploadRole',
    route: 'POST /uploads/{table}',
    grants: [...logGrants('createUpload'), ...s3(['s3:PutObject'], ['incoming/'])],
  },
  ingestUpload: {
    handler: 'handlers/ingest-upload.handler',
    role: 'IngestUploadRole',
    grants: [
      ...logGrants('ingestUpload'),
      ...s3(['s3:GetObject', 's3:DeleteObject'], ['incoming/']),
      ...s3(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], ['logs/']),
      ...listBucket,
    ],
    lists: true,
  },
  listJobs: {
    handler: 'handlers/list-jobs.handler',
    role: 'ListJobsRole',
    route: 'GET /jobs',
    appRoute: 'GET /app/jobs',
    grants: logGrants('listJobs'),
  },
  startAnalysis: {
    handler: 'handlers/start-analysis.handler',
    role: 'StartAnalysisRole',
    route: 'POST /analyses',
    appRoute: 'POST /app/analyses',
    grants: [
      ...logGrants('startAnalysis'),
      ...s3(['s3:GetObject'], ['logs/']),
      ...s3(['s3:PutObject'], ['scripts/']),
      ...s3(['s3:GetObject', 's3:PutObject'], ['analyses/']),
      ...s3(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], ['results/']),
      ...listBucket,
      'Allow elasticmapreduce:RunJobFlow *',
      `Allow elasticmapreduce:ListSteps ${CLUSTERS}`,
      'Allow iam:PassRole arn:${AWS::Partition}:iam::${AWS::AccountId}:role/EMR_EC2_DefaultRole',
      'Allow iam:PassRole arn:${AWS::Partition}:iam::${AWS::AccountId}:role/EMR_DefaultRole',
    ],
    lists: true,
  },
  getAnalysis: {
    handler: 'handlers/get-analysis.handler',
    role: 'GetAnalysisRole',
    route: 'GET /analyses/{id}',
    appRoute: 'GET /app/analyses/{id}',
    grants: [
      ...logGrants('getAnalysis'),
      ...s3(['s3:GetObject', 's3:PutObject'], ['analyses/']),
      ...s3(['s3:GetObject'], ['emr-logs/']),
      ...listBucket,
      `Allow elasticmapreduce:DescribeStep ${CLUSTERS}`,
      `Allow elasticmapreduce:DescribeCluster ${CLUSTERS}`,
    ],
    lists: true,
  },
  getResults: {
    handler: 'handlers/get-results.handler',
    role: 'GetResultsRole',
    route: 'GET /analyses/{id}/results',
    appRoute: 'GET /app/analyses/{id}/results',
    grants: [...logGrants('getResults'), ...s3(['s3:GetObject'], ['analyses/', 'results/']), ...listBucket],
    lists: true,
  },
  getChart: {
    handler: 'handlers/get-chart.handler',
    role: 'GetChartRole',
    route: 'GET /analyses/{id}/chart',
    appRoute: 'GET /app/analyses/{id}/chart',
    // What the results route reads, and nothing more.
    grants: [...logGrants('getChart'), ...s3(['s3:GetObject'], ['analyses/', 'results/']), ...listBucket],
    lists: true,
  },
  webPage: {
    handler: 'handlers/web-page.handler',
    role: 'WebPageRole',
    route: 'GET /',
    public: true,
    extraEnv: ['LOGHIVE_WEB_AUTH_DOMAIN', 'LOGHIVE_WEB_CLIENT_ID'],
    // The page is built from the code: no S3, no EMR.
    grants: logGrants('webPage'),
  },
  cancelAnalysis: {
    handler: 'handlers/cancel-analysis.handler',
    role: 'CancelAnalysisRole',
    route: 'DELETE /analyses/{id}',
    grants: [
      ...logGrants('cancelAnalysis'),
      ...s3(['s3:GetObject', 's3:PutObject'], ['analyses/']),
      ...s3(['s3:GetObject'], ['emr-logs/']),
      ...listBucket,
      `Allow elasticmapreduce:DescribeStep ${CLUSTERS}`,
      `Allow elasticmapreduce:DescribeCluster ${CLUSTERS}`,
      `Allow elasticmapreduce:TerminateJobFlows ${CLUSTERS}`,
    ],
    lists: true,
  },
};

/**
 * The EMR calls each function makes, from src/cloud/emr's own list of what each runner method
 * sends: the roles must grant exactly these (iam:PassRole included for RunJobFlow).
 */
const EMR_CALLS: Record<string, { cluster: readonly string[]; transient: readonly string[] }> = {
  startAnalysis: { cluster: EMR_IAM_ACTIONS.submitToCluster, transient: EMR_IAM_ACTIONS.submitTransient },
  getAnalysis: { cluster: EMR_IAM_ACTIONS.status, transient: EMR_IAM_ACTIONS.status },
  // cancelAnalysis refreshes the record through status() before it cancels.
  cancelAnalysis: { cluster: [...EMR_IAM_ACTIONS.status, ...EMR_IAM_ACTIONS.cancelOnCluster], transient: [...EMR_IAM_ACTIONS.status, ...EMR_IAM_ACTIONS.cancelTransient] },
};

/** Serverless' own function that subscribes the Lambda to the existing bucket's notifications. */
const CUSTOM_RESOURCE_GRANTS = [
  'Allow s3:GetBucketNotification arn:${AWS::Partition}:s3:::${DataBucket}',
  'Allow s3:PutBucketNotification arn:${AWS::Partition}:s3:::${DataBucket}',
  'Allow lambda:AddPermission arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*',
  'Allow lambda:RemovePermission arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*',
].sort();

const logicalId = (fn: string): string => `${fn[0]!.toUpperCase()}${fn.slice(1)}LambdaFunction`;

function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** The resources CloudFormation would create: those without a Condition, or whose Condition holds. */
function activeResourcesOfType(template: Template, type: string): [string, Resource][] {
  return resourcesOfType(template, type).filter(([, r]) => r.Condition === undefined || evalCondition(template, r.Condition));
}

/** The function logical id a route's integration invokes. */
function routeFunction(template: Template, route: Resource): string {
  const integrationId = String(evaluate(template, route.Properties.Target!)).match(/\$\{(\w+)\}/)![1]!;
  const uri = JSON.stringify(template.Resources[integrationId]!.Properties.IntegrationUri);
  return uri.match(/"(\w+LambdaFunction)"/)![1]!;
}

// ---------------------------------------------------------------------------------------------
// A zip's file names, from its central directory (no unzip binary needed in CI).

function zipEntries(zip: Buffer): string[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names.sort();
}

/** One entry's content (stored or deflated), found through its local header. */
function zipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      return method === 0 ? data : inflateRawSync(data);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`no ${name} in the zip`);
}

// ---------------------------------------------------------------------------------------------

let packaged: { dir: string; template: Template };
let withCluster: { dir: string; template: Template };
let withWebPage: { dir: string; template: Template };

beforeAll(async () => {
  // Sequential: the runs share the service's .esbuild work folder.
  packaged = await packageService();
  withCluster = await packageService(['--param=emrClusterId=j-2AXXXXXXGAPLF']);
  withWebPage = await packageService(['--param=webPage=true']);
}, 300_000);

afterAll(async () => {
  for (const p of [packaged, withCluster, withWebPage]) if (p) await rm(p.dir, { recursive: true, force: true });
});

const PUBLIC_ROUTES = Object.values(FUNCTIONS).flatMap((f) => (f.public && f.route ? [f.route] : []));

describe('HTTP API', () => {
  it('has exactly the routes of docs/cloud.md, each IAM-authorized but the static page', async () => {
    const routes = activeResourcesOfType(packaged.template, 'AWS::ApiGatewayV2::Route');
    const keys = routes.map(([, r]) => String(r.Properties.RouteKey)).sort();
    const expected = Object.values(FUNCTIONS).flatMap((f) => (f.route ? [f.route] : [])).sort();
    expect(keys).toEqual(expected);
    expect(PUBLIC_ROUTES).toEqual(['GET /']);
    for (const [id, route] of routes) {
      if (PUBLIC_ROUTES.includes(String(route.Properties.RouteKey))) expect(route.Properties.AuthorizationType ?? 'NONE', id).toBe('NONE');
      else expect(route.Properties.AuthorizationType, id).toBe('AWS_IAM');
    }
    // The routes table of docs/cloud.md lists them all (the /app/ copies in their own table).
    const docs = await readFile(path.join(root, 'docs/cloud.md'), 'utf8');
    for (const f of Object.values(FUNCTIONS)) {
      if (f.route) expect(docs, f.route).toContain(`| \`${f.route}\` |`);
      if (f.appRoute) expect(docs, f.appRoute).toContain(`| \`${f.appRoute}\` |`);
    }
  });

  it('writes an access log naming the IAM caller of every request', () => {
    const stage = packaged.template.Resources.HttpApiStage!;
    const settings = stage.Properties.AccessLogSettings as { Format: string; DestinationArn: Json };
    expect(JSON.parse(settings.Format)).toMatchObject({ caller: '$context.identity.userArn', routeKey: '$context.routeKey', status: '$context.status' });
    expect(settings.DestinationArn).toEqual({ 'Fn::GetAtt': ['HttpApiLogGroup', 'Arn'] });
  });

  it('sends each route to its function', () => {
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      if (!spec.route) continue;
      const [, route] = resourcesOfType(packaged.template, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === spec.route)!;
      expect(routeFunction(packaged.template, route)).toBe(logicalId(fn));
    }
  });
});

describe('functions', () => {
  it('are exactly the documented ones, on nodejs22.x arm64, each with its own role', () => {
    const functions = resourcesOfType(packaged.template, 'AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
    }
    const ours = functions.filter(([id]) => id !== 'CustomDashresourceDashexistingDashs3LambdaFunction');
    expect(ours.map(([id]) => id).sort()).toEqual(Object.keys(FUNCTIONS).map(logicalId).sort());
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      const resource = packaged.template.Resources[logicalId(fn)]!;
      expect(resource.Properties.Handler, fn).toBe(spec.handler);
      expect(resource.Properties.Role, fn).toEqual({ 'Fn::GetAtt': [spec.role, 'Arn'] });
    }
    const roles = Object.values(FUNCTIONS).map((f) => f.role);
    expect(new Set(roles).size).toBe(roles.length);
    // No shared default role: serverless creates IamRoleLambdaExecution only when a function lacks `role`.
    expect(packaged.template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('stay within API Gateway’s 30 s when they serve a route', () => {
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      const timeout = Number(packaged.template.Resources[logicalId(fn)]!.Properties.Timeout);
      if (spec.route) expect(timeout, fn).toBeLessThanOrEqual(29);
    }
  });

  it('get every LOGHIVE_* variable of docs/cloud.md, with defaults that the configuration accepts', async () => {
    const docs = await readFile(path.join(root, 'docs/cloud.md'), 'utf8');
    const table = docs.slice(docs.indexOf('## Configuration'), docs.indexOf('## Modules'));
    const documented = [...new Set(table.match(/LOGHIVE_[A-Z0-9_]+/g))].sort();
    expect(documented.length).toBeGreaterThan(10);
    for (const fn of Object.keys(FUNCTIONS)) {
      const vars = evaluate(packaged.template, packaged.template.Resources[logicalId(fn)]!.Properties.Environment!) as { Variables: Record<string, string> };
      expect(Object.keys(vars.Variables).filter((k) => k.startsWith('LOGHIVE_')).sort(), fn).toEqual([...documented, ...(FUNCTIONS[fn]!.extraEnv ?? [])].sort());
      expect(vars.Variables.LOGHIVE_BUCKET).toBe('${DataBucket}');
      // AWS_REGION is Lambda's own (reserved) variable.
      expect(vars.Variables.AWS_REGION).toBeUndefined();
      const config = loadConfig({ ...vars.Variables, LOGHIVE_BUCKET: 'loghive-dev-databucket-1a2b3c', LAMBDA_TASK_ROOT: root });
      expect(config.defaultEngine).toBe('auto');
      expect(config.emr.releaseLabel).toBe('emr-7.12.0');
      expect(config.emr.clusterId).toBeUndefined();
      expect(config.s3Endpoint).toBeUndefined();
      // LOGHIVE_JOBS_DIR is empty: the jobs packaged next to the handler.
      expect(config.jobsDir).toBe(path.join(root, 'jobs'));
      // Uploaded files may inflate further than request bodies.
      expect(config.maxInflatedBytes, fn).toBe(fn === 'ingestUpload' ? 4 * 2 ** 30 : 256 * 2 ** 20);
    }
  });

  it('ship their handler bundle and the jobs, and nothing else', async () => {
    const jobs = (await readdir(path.join(root, 'jobs'))).filter((f) => f.endsWith('.q')).map((f) => `jobs/${f}`);
    expect(jobs.length).toBeGreaterThan(0);
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      const zip = await readFile(path.join(packaged.dir, `${fn}.zip`));
      const entries = zipEntries(zip);
      const bundle = `${spec.handler.replace(/\.handler$/, '')}.mjs`;
      expect(entries, fn).toContain(bundle);
      for (const job of jobs) expect(entries, fn).toContain(job);
      // Bundled: no node_modules, no TypeScript sources, no tests or fixtures.
      expect(entries.filter((e) => !e.startsWith('jobs/') && e !== bundle && e !== `${bundle}.map`), fn).toEqual([]);
      expect(zipEntry(zip, bundle).toString('utf8'), fn).toMatch(/export\s*\{[^}]*\bhandler\b/);
    }
  });
});

describe('bundles', () => {
  it('run as ES modules on their own: the list-jobs zip answers GET /jobs from its packaged jobs/', async () => {
    // Unpacked as Lambda would (its own directory, no node_modules, no package.json), run in a
    // separate node so the bundle's require shim, keepNames and jobs lookup are what is tested.
    const zip = await readFile(path.join(packaged.dir, 'listJobs.zip'));
    const task = path.join(packaged.dir, 'task-listJobs');
    for (const name of zipEntries(zip)) {
      await mkdir(path.dirname(path.join(task, name)), { recursive: true });
      await writeFile(path.join(task, name), zipEntry(zip, name));
    }
    const script = `
      const { handler } = await import('./handlers/list-jobs.mjs');
      const res = await handler({ version: '2.0', routeKey: 'GET /jobs', rawPath: '/jobs', rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { requestId: 'r' } });
      process.stdout.write(JSON.stringify(res));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: task,
      env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: task, LOGHIVE_BUCKET: 'loghive-dev-databucket-1a2b3c', AWS_REGION: 'us-east-1', NODE_OPTIONS: '--enable-source-maps' },
    });
    const res = JSON.parse(stdout) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(200);
    const jobs = (JSON.parse(res.body) as { jobs: { name: string }[] }).jobs.map((j) => j.name);
    const expected = (await readdir(path.join(root, 'jobs'))).filter((f) => f.endsWith('.q')).map((f) => f.slice(0, -2));
    expect(jobs.sort()).toEqual(expected.sort());
  });
});

describe('web page sign-in (webPage=true)', () => {
  const COGNITO_TYPES = ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain', 'AWS::ApiGatewayV2::Authorizer'];
  const APP_ROUTES = Object.entries(FUNCTIONS).flatMap(([fn, f]) => (f.appRoute ? [[fn, f] as const] : []));

  it('creates nothing for sign-in by default: the user pool, its client and domain, the authorizer and the /app/ routes are all conditional', () => {
    const t = packaged.template;
    expect(evalCondition(t, 'WebPageEnabled')).toBe(false);
    for (const type of COGNITO_TYPES) {
      expect(resourcesOfType(t, type).length, type).toBeGreaterThan(0);
      expect(activeResourcesOfType(t, type), type).toEqual([]);
    }
    const env = evaluate(t, t.Resources.WebPageLambdaFunction!.Properties.Environment!) as { Variables: Record<string, string> };
    expect(env.Variables.LOGHIVE_WEB_AUTH_DOMAIN).toBe('');
    expect(env.Variables.LOGHIVE_WEB_CLIENT_ID).toBe('');
  });

  it('routes the page’s calls through a Cognito JWT authorizer under /app/, to the same functions, and keeps the API IAM-authorized', () => {
    const t = withWebPage.template;
    expect(evalCondition(t, 'WebPageEnabled')).toBe(true);
    const authorizers = activeResourcesOfType(t, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(evaluate(t, authorizer.Properties)).toMatchObject({
      ApiId: '${HttpApi}',
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      // The issuer is the stack's user pool; the audience its app client (an access token's client_id).
      JwtConfiguration: { Issuer: 'https://cognito-idp.${AWS::Region}.amazonaws.com/${WebUserPool}', Audience: ['${WebUserPoolClient}'] },
    });
    const routes = activeResourcesOfType(t, 'AWS::ApiGatewayV2::Route');
    const byKey = new Map(routes.map(([, r]) => [String(r.Properties.RouteKey), r]));
    expect(APP_ROUTES.map(([, f]) => f.appRoute).sort()).toEqual(['GET /app/analyses/{id}', 'GET /app/analyses/{id}/chart', 'GET /app/analyses/{id}/results', 'GET /app/jobs', 'POST /app/analyses']);
    for (const [fn, f] of APP_ROUTES) {
      const route = byKey.get(f.appRoute!);
      expect(route, f.appRoute).toBeDefined();
      expect(route!.Properties.AuthorizationType, f.appRoute).toBe('JWT');
      expect(route!.Properties.AuthorizerId, f.appRoute).toEqual({ Ref: authorizerId });
      expect(routeFunction(t, route!), f.appRoute).toBe(logicalId(fn));
      // The same function answers the IAM route: the JWT is an alternative for the browser, not a replacement.
      expect(byKey.get(f.route!)!.Properties.AuthorizationType, f.route).toBe('AWS_IAM');
    }
    // Nothing else changes: every other route is IAM-authorized but the page.
    const appKeys = new Set(APP_ROUTES.map(([, f]) => f.appRoute!));
    for (const [key, route] of byKey) {
      if (appKeys.has(key)) continue;
      if (PUBLIC_ROUTES.includes(key)) expect(route.Properties.AuthorizationType ?? 'NONE', key).toBe('NONE');
      else expect(route.Properties.AuthorizationType, key).toBe('AWS_IAM');
    }
    // The functions' Lambda permissions cover every route of the API, so the /app/ copies can invoke them.
    for (const [fn] of APP_ROUTES) {
      const permission = t.Resources[`${logicalId(fn).replace(/LambdaFunction$/, '')}LambdaPermissionHttpApi`]!;
      expect(String(evaluate(t, permission.Properties.SourceArn!)), fn).toMatch(/:\$\{HttpApi\}\/\*$/);
    }
  });

  it('has a user pool where only an admin creates users, and a public PKCE client whose only callback is the page', () => {
    const t = withWebPage.template;
    const [[, pool]] = activeResourcesOfType(t, 'AWS::Cognito::UserPool') as [[string, Resource]];
    expect(pool.Properties.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    const [[, client]] = activeResourcesOfType(t, 'AWS::Cognito::UserPoolClient') as [[string, Resource]];
    const page = 'https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/';
    expect(evaluate(t, client.Properties)).toMatchObject({
      UserPoolId: '${WebUserPool}',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [page],
      LogoutURLs: [page],
    });
    expect(list(client.Properties.ExplicitAuthFlows)).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(activeResourcesOfType(t, 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    // The page learns the hosted UI's domain and the client from its environment.
    const env = evaluate(t, t.Resources.WebPageLambdaFunction!.Properties.Environment!) as { Variables: Record<string, string> };
    expect(env.Variables.LOGHIVE_WEB_AUTH_DOMAIN).toBe('${WebUserPoolDomain}.auth.${AWS::Region}.amazoncognito.com');
    expect(env.Variables.LOGHIVE_WEB_CLIENT_ID).toBe('${WebUserPoolClient}');
    expect(Object.keys(t.Outputs ?? {})).toEqual(expect.arrayContaining(['WebPageUrl', 'WebUserPoolId']));
  });

  it('keeps every function’s role as it is without the page', () => {
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      expect(grants(roleStatements(withWebPage.template, spec.role)), fn).toEqual([...spec.grants].sort());
    }
  });
});

describe('the page bundle', () => {
  it('serves the page from its zip alone: HTML with a CSP that allows its inline script and style by hash', async () => {
    const zip = await readFile(path.join(packaged.dir, 'webPage.zip'));
    const task = path.join(packaged.dir, 'task-webPage');
    for (const name of zipEntries(zip)) {
      await mkdir(path.dirname(path.join(task, name)), { recursive: true });
      await writeFile(path.join(task, name), zipEntry(zip, name));
    }
    const script = `
      const { handler } = await import('./handlers/web-page.mjs');
      const res = await handler({ version: '2.0', routeKey: 'GET /', rawPath: '/', rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { requestId: 'r' } });
      process.stdout.write(JSON.stringify(res));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: task,
      env: { PATH: process.env.PATH, LAMBDA_TASK_ROOT: task, LOGHIVE_WEB_AUTH_DOMAIN: '', LOGHIVE_WEB_CLIENT_ID: '', AWS_REGION: 'us-east-1' },
    });
    const res = JSON.parse(stdout) as { statusCode: number; headers: Record<string, string>; body: string };
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = res.headers['content-security-policy']!;
    const { createHash } = await import('node:crypto');
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    const inlineScript = /<script>([\s\S]*?)<\/script>/.exec(res.body)![1]!;
    const inlineStyle = /<style>([\s\S]*?)<\/style>/.exec(res.body)![1]!;
    expect(csp).toContain(`script-src ${hash(inlineScript)}`);
    expect(csp).toContain(`style-src ${hash(inlineStyle)}`);
  });
});

describe('IAM', () => {
  it('gives each function exactly its own grants (no cluster configured: transient clusters)', () => {
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      expect(grants(roleStatements(packaged.template, spec.role)), fn).toEqual([...spec.grants].sort());
    }
  });

  it('lets each role assume only from Lambda', () => {
    for (const spec of Object.values(FUNCTIONS)) {
      const trust = packaged.template.Resources[spec.role]!.Properties.AssumeRolePolicyDocument as { Statement: Json[] };
      expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    }
  });

  it('lets only the functions that use S3Storage list the bucket, and nothing else on the bucket itself', () => {
    for (const [fn, spec] of Object.entries(FUNCTIONS)) {
      const onBucket = roleStatements(packaged.template, spec.role).filter((s) => s.Resource.includes(BUCKET));
      if (!spec.lists) {
        expect(onBucket, fn).toEqual([]);
        continue;
      }
      expect(onBucket, fn).toEqual([{ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [BUCKET] }]);
    }
  });

  it('never grants S3, logs or EMR cluster actions on *, nor on the whole bucket', () => {
    const roles = resourcesOfType(packaged.template, 'AWS::IAM::Role').map(([id]) => id);
    for (const p of [packaged, withCluster]) {
      for (const role of roles) {
        for (const s of roleStatements(p.template, role)) {
          for (const action of s.Action) {
            expect(action, role).not.toMatch(/\*/);
            if (/^(s3|logs):/.test(action) || (action.startsWith('elasticmapreduce:') && action !== 'elasticmapreduce:RunJobFlow')) {
              expect(s.Resource, `${role} ${action}`).not.toContain('*');
              expect(s.Resource, `${role} ${action}`).not.toContain(`${BUCKET}/*`);
            }
          }
        }
      }
    }
  });

  it('grants iam:PassRole only on the two EMR roles, only towards EMR and EC2, and only to the analysis starter', () => {
    const roles = resourcesOfType(packaged.template, 'AWS::IAM::Role').map(([id]) => id);
    for (const role of roles) {
      const pass = roleStatements(packaged.template, role).filter((s) => s.Action.some((a) => a.startsWith('iam:')));
      if (role !== 'StartAnalysisRole') {
        expect(pass, role).toEqual([]);
        continue;
      }
      expect(pass).toEqual([
        {
          Effect: 'Allow',
          Action: ['iam:PassRole'],
          Resource: ['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/EMR_EC2_DefaultRole', 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/EMR_DefaultRole'],
          Condition: { StringEquals: { 'iam:PassedToService': ['elasticmapreduce.amazonaws.com', 'ec2.amazonaws.com'] } },
        },
      ]);
    }
  });

  it('starts clusters only when they carry the analysis tag', () => {
    const run = roleStatements(packaged.template, 'StartAnalysisRole').filter((s) => s.Action.includes('elasticmapreduce:RunJobFlow'));
    expect(run).toHaveLength(1);
    expect(run[0]!.Condition).toEqual({ Null: { 'aws:RequestTag/loghive:analysis': 'false' } });
  });

  it('grants exactly the EMR actions src/cloud/emr says each runner method calls, in both modes', () => {
    for (const [mode, p] of [['transient', packaged], ['cluster', withCluster]] as const) {
      for (const [fn, spec] of Object.entries(FUNCTIONS)) {
        const emrActions = [...new Set(roleStatements(p.template, spec.role).flatMap((s) => s.Action).filter((a) => /^(elasticmapreduce|iam):/.test(a)))].sort();
        expect(emrActions, `${fn} (${mode})`).toEqual([...new Set(EMR_CALLS[fn]?.[mode] ?? [])].sort());
      }
    }
  });

  it('with an existing cluster, names only that cluster and can neither start clusters nor pass roles', () => {
    const cluster = 'arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/j-2AXXXXXXGAPLF';
    const t = withCluster.template;
    const emrGrants = (role: string) => grants(roleStatements(t, role)).filter((g) => /elasticmapreduce|iam:/.test(g));
    expect(emrGrants('StartAnalysisRole')).toEqual([`Allow elasticmapreduce:AddJobFlowSteps ${cluster}`]);
    expect(emrGrants('GetAnalysisRole')).toEqual([`Allow elasticmapreduce:DescribeCluster ${cluster}`, `Allow elasticmapreduce:DescribeStep ${cluster}`]);
    expect(emrGrants('CancelAnalysisRole')).toEqual(
      [`Allow elasticmapreduce:CancelSteps ${cluster}`, `Allow elasticmapreduce:DescribeCluster ${cluster}`, `Allow elasticmapreduce:DescribeStep ${cluster}`].sort(),
    );
    const envVars = evaluate(t, t.Resources.StartAnalysisLambdaFunction!.Properties.Environment!) as { Variables: Record<string, string> };
    expect(envVars.Variables.LOGHIVE_EMR_CLUSTER_ID).toBe('j-2AXXXXXXGAPLF');
  });

  it('terminates only clusters tagged as an analysis’s own', () => {
    const terminate = roleStatements(packaged.template, 'CancelAnalysisRole').filter((s) => s.Action.includes('elasticmapreduce:TerminateJobFlows'));
    expect(terminate).toHaveLength(1);
    expect(terminate[0]!.Condition).toEqual({ Null: { 'aws:ResourceTag/loghive:analysis': 'false' } });
  });

  it('limits serverless’ bucket-notification custom resource to the data bucket', () => {
    expect(grants(roleStatements(packaged.template, 'IamRoleCustomResourcesLambdaExecution'))).toEqual(CUSTOM_RESOURCE_GRANTS);
  });
});

describe('data bucket', () => {
  const bucket = (): Resource => packaged.template.Resources.DataBucket!;

  it('is the only bucket besides the deployment bucket', () => {
    const buckets = resourcesOfType(packaged.template, 'AWS::S3::Bucket').map(([id]) => id).sort();
    expect(buckets).toEqual(['DataBucket', 'ServerlessDeploymentBucket']);
  });

  it('blocks all public access and enforces bucket-owner ownership (no ACLs)', () => {
    expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket().Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('is encrypted by default', () => {
    const rules = (bucket().Properties.BucketEncryption as { ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] }).ServerSideEncryptionConfiguration;
    expect(rules.length).toBeGreaterThan(0);
    expect(['AES256', 'aws:kms', 'aws:kms:dsse']).toContain(rules[0]!.ServerSideEncryptionByDefault.SSEAlgorithm);
  });

  it('denies every request that is not TLS, on the bucket and its objects', () => {
    const policies = resourcesOfType(packaged.template, 'AWS::S3::BucketPolicy').filter(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: 'DataBucket' }));
    expect(policies).toHaveLength(1);
    const doc = evaluate(packaged.template, policies[0]![1].Properties.PolicyDocument!) as { Statement: Record<string, Json>[] };
    const deny = doc.Statement.filter((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }));
    expect(deny).toHaveLength(1);
    expect(deny[0]!.Principal).toBe('*');
    expect(list(deny[0]!.Action)).toEqual(['s3:*']);
    expect(list(deny[0]!.Resource).sort()).toEqual([BUCKET, `${BUCKET}/*`].sort());
    // Nothing in the bucket policy allows anything: access is by the functions' roles only.
    expect(doc.Statement.filter((s) => s.Effect !== 'Deny')).toEqual([]);
  });

  it('expires leftovers under incoming/ and tmp/, and aborts abandoned multipart uploads', () => {
    const rules = (bucket().Properties.LifecycleConfiguration as { Rules: Record<string, Json>[] }).Rules;
    const byPrefix = (prefix: string) => rules.find((r) => r.Prefix === prefix && r.Status === 'Enabled');
    expect(Number(byPrefix('incoming/')?.ExpirationInDays)).toBeGreaterThan(0);
    expect(Number(byPrefix('tmp/')?.ExpirationInDays)).toBeGreaterThan(0);
    expect(rules.some((r) => r.Status === 'Enabled' && r.AbortIncompleteMultipartUpload !== undefined)).toBe(true);
    // Nothing else expires: logs/, analyses/ and results/ are the service's data.
    for (const r of rules) if (r.ExpirationInDays !== undefined) expect(['incoming/', 'tmp/']).toContain(r.Prefix);
  });

  it('invokes the upload ingester for objects created under incoming/ only', () => {
    const subscriptions = resourcesOfType(packaged.template, 'Custom::S3');
    expect(subscriptions).toHaveLength(1);
    const props = subscriptions[0]![1].Properties;
    expect(props.BucketName).toEqual({ Ref: 'DataBucket' });
    expect(props.FunctionName).toBe('loghive-dev-ingestUpload');
    expect(props.BucketConfigs).toEqual([{ Event: 's3:ObjectCreated:*', Rules: [{ Prefix: 'incoming/' }] }]);
  });
});
