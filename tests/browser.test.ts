/**
 * The web page in a real browser: headless Chromium (Debian's chromium package, driven by
 * playwright-core; nothing is downloaded) against the page and the API handlers, served on
 * 127.0.0.1 by tests/support/handler-server.ts, with s3rver as the bucket. The sample logs are
 * ingested through POST /logs, then the page is used with the keyboard only: pick os_requests,
 * set FROM/TO, start the analysis, wait for SUCCEEDED, and check that the chart has one bar per
 * result row and the table one row per result row, labelled with the OS names of the results
 * JSON; sort the table by count. Screenshots go to test-artifacts/ (LOGHIVE_UPDATE_DOCS_IMAGES=1
 * also copies the desktop one to docs/images/web-page.png for the README).
 *
 * Without Chromium the suite is skipped, saying how to install it (.ci/run does).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as getAnalysis } from '../handlers/get-analysis.js';
import { handler as getChart } from '../handlers/get-chart.js';
import { handler as getResults } from '../handlers/get-results.js';
import { handler as ingestLogs } from '../handlers/ingest-logs.js';
import { handler as listJobs } from '../handlers/list-jobs.js';
import { handler as startAnalysis } from '../handlers/start-analysis.js';
import { handler as webPage } from '../handlers/web-page.js';
import type { AnalysisRecord } from '../src/analyses/analysis-record.js';
import { RecordStore } from '../src/analyses/record-store.js';
import { cloudContext, createContext, setCloudContext } from '../src/api/context.js';
import type { HttpHandler } from '../src/api/http-errors.js';
import { json, text } from '../src/api/responses.js';
import { renderWebPage } from '../src/web/page-html.js';
import { SIGNED_IN_API_BASE } from '../src/web/web-config.js';
import { startHandlerServer, type HandlerServer } from './support/handler-server.js';
import { startS3Server, type S3TestServer } from './support/s3-server.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const SKIP_REASON = `Chromium not installed: apt-get install chromium to run the browser test (looked for ${CHROMIUM}; set CHROMIUM_PATH to use another)`;
const BUCKET = 'loghive-web';
const SAMPLE_DIR = path.join(ROOT, 'sample-data/cloudfront/data');
/** A job whose description is markup: the page must show it as text. */
const HOSTILE_JOB = 'zz_markup_check';
const HOSTILE_TEXT = '<img src=x id=injected><script>window.injected=1</script> & "quotes"';
/** A FAILED analysis, as the Lambda engine records one, that the page finds in its session list. */
const FAILED_ID = '5d1c8e2a-3b4f-4a6e-9c7d-0e1f2a3b4c5d';
/** The deployed page's sign-in, against a stand-in for Cognito's hosted UI (requests to it are intercepted). */
const SIGN_IN = { domain: 'loghive-test-123456789012.auth.us-east-1.amazoncognito.com', clientId: '4testclient0example' };
const ACCESS_TOKEN = 'access-token-from-the-stand-in';
/** One still PENDING, which the page polls until the test moves it to CANCELLED. */
const PENDING_ID = '7a2b9c4d-1e3f-4b5a-8c6d-9e0f1a2b3c4d';

if (!HAS_CHROMIUM) console.warn(`tests/browser.test.ts: ${SKIP_REASON}`);

/** What the test reads of the page's globals (the project compiles without the DOM lib). */
interface PageGlobals {
  readonly document: {
    readonly activeElement: { readonly id: string; matches(selector: string): boolean; blur(): void } | null;
    readonly documentElement: { readonly scrollWidth: number };
  };
  readonly injected?: number;
}

interface ResultsJson {
  readonly columns: { name: string; type: string }[];
  readonly rows: Record<string, string | number | null>[];
}

describe.skipIf(!HAS_CHROMIUM)('the web page in headless Chromium', () => {
  let s3: S3TestServer;
  let api: HandlerServer;
  let browser: Browser;
  let jobsDir: string;
  const savedEnv = { ...process.env };
  const problems: string[] = [];
  const bearerCalls = { accepted: 0, refused: 0 };

  /** What API Gateway's JWT authorizer does in front of the /app/ routes: 401 without the token. */
  const requireToken =
    (handler: HttpHandler): HttpHandler =>
    async (event, context) => {
      if (event.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
        bearerCalls.refused++;
        return json(401, { message: 'Unauthorized' });
      }
      bearerCalls.accepted++;
      return handler(event, context);
    };
  /** The page as a webPage=true deployment serves it, at /signed-in/ so that its relative app/ calls land on the routes below. */
  const signedInPage: HttpHandler = async () => {
    const page = renderWebPage({ signIn: SIGN_IN, apiBase: SIGNED_IN_API_BASE });
    return text(200, page.html, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.contentSecurityPolicy });
  };

  beforeAll(async () => {
    // The catalog plus one job whose header is hostile markup.
    jobsDir = await mkdtemp(path.join(tmpdir(), 'loghive-web-jobs-'));
    await cp(path.join(ROOT, 'jobs'), jobsDir, { recursive: true });
    const osRequests = await readFile(path.join(ROOT, 'jobs/os_requests.q'), 'utf8');
    await writeFile(path.join(jobsDir, `${HOSTILE_JOB}.q`), osRequests.replace(/^-- Job:.*$/m, `-- Job:     ${HOSTILE_JOB}`).replace(/^-- Answers:.*$/m, `-- Answers: ${HOSTILE_TEXT}`));

    [s3, browser] = await Promise.all([
      startS3Server({ buckets: [BUCKET] }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }),
    ]);
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    // As serverless-offline runs the handlers: no sign-in.
    process.env.IS_OFFLINE = 'true';
    setCloudContext(createContext({ LOGHIVE_BUCKET: BUCKET, LOGHIVE_S3_ENDPOINT: s3.endpoint, AWS_REGION: 'us-east-1', LOGHIVE_JOBS_DIR: jobsDir, LOGHIVE_DEFAULT_ENGINE: 'auto' }));
    api = await startHandlerServer({
      'GET /': webPage,
      'GET /jobs': listJobs,
      'POST /logs/{table}': ingestLogs,
      'POST /analyses': startAnalysis,
      'GET /analyses/{id}': getAnalysis,
      'GET /analyses/{id}/results': getResults,
      'GET /analyses/{id}/chart': getChart,
      'GET /signed-in/': signedInPage,
      'GET /signed-in/app/jobs': requireToken(listJobs),
      'POST /signed-in/app/analyses': requireToken(startAnalysis),
      'GET /signed-in/app/analyses/{id}': requireToken(getAnalysis),
      'GET /signed-in/app/analyses/{id}/results': requireToken(getResults),
      'GET /signed-in/app/analyses/{id}/chart': requireToken(getChart),
    });
    for (const name of (await readdir(SAMPLE_DIR)).sort()) {
      const res = await fetch(`${api.url}/logs/cloudfront_logs`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: await readFile(path.join(SAMPLE_DIR, name)) });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const failed: AnalysisRecord = {
      id: FAILED_ID,
      job: 'os_requests',
      vars: { FROM: '2014-07-05', TO: '2014-08-05' },
      requestedEngine: 'lambda',
      engine: 'lambda',
      engineReason: 'requested',
      state: 'FAILED',
      createdAt: '2026-11-26T05:00:00.000Z',
      updatedAt: '2026-11-26T05:00:09.000Z',
      finishedAt: '2026-11-26T05:00:09.000Z',
      scriptLocation: `s3://${BUCKET}/scripts/${FAILED_ID}.q`,
      hiveVariables: {},
      outputLocation: `s3://${BUCKET}/results/${FAILED_ID}/os_requests/`,
      outputFormat: { fieldSeparator: '\x01', nullText: '\\N', collectionSeparator: '\x02' },
      input: { bytes: 1, partitions: 1, tables: ['cloudfront_logs'] },
      error: { type: 'TaskFailedError', message: 'map task 3 failed on every attempt: <b>not markup</b>', location: `s3://${BUCKET}/logs/cloudfront_logs/dt=2014-07-06/x.gz` },
    };
    const records = new RecordStore(cloudContext().storage, `s3://${BUCKET}`);
    await records.save(failed);
    const now = new Date().toISOString();
    await records.save({ ...failed, id: PENDING_ID, state: 'PENDING', createdAt: now, updatedAt: now, finishedAt: undefined, error: undefined });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    setCloudContext(undefined);
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    await s3?.stop();
    if (jobsDir) await rm(jobsDir, { recursive: true, force: true });
  });

  /** A fresh page at `width`, failing the test on any console error (a CSP violation is one) or page error. */
  async function open(width: number, height: number, sessionAnalyses: string[] = [], at = '/'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC' });
    // What the page keeps in sessionStorage for the tab, as if it had been reloaded.
    if (sessionAnalyses.length) await context.addInitScript((ids) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('loghive.analyses', JSON.stringify(ids)), sessionAnalyses);
    const page = await context.newPage();
    page.on('console', (m) => {
      // Chromium logs every 4xx answer to fetch(); the API's refusals are tested on purpose.
      if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${api.url}${at}`);
    if (at === '/') await page.locator('#jobs button[data-job="os_requests"]').waitFor();
    return page;
  }

  /** Tab from the top of the page until `selector` has the focus, as a keyboard user would. */
  async function tabTo(page: Page, selector: string, limit = 60): Promise<void> {
    for (let i = 0; i < limit; i++) {
      if (await page.evaluate((s) => (globalThis as unknown as PageGlobals).document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${limit} presses of Tab never reached ${selector}`);
  }

  /** Keyboard only: pick the job, set the dates, start it; resolves with the analysis id once it SUCCEEDED and its chart and table are shown. */
  async function runJob(page: Page, job: string, mark: string): Promise<string> {
    const before = await page.locator('#analyses button[data-id]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-id')!));
    await tabTo(page, `#jobs button[data-job="${job}"]`);
    await page.keyboard.press('Enter');
    // Picking a job moves the focus to its first variable.
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('var-FROM');
    expect(await page.locator('#var-FROM').getAttribute('type')).toBe('date');
    expect(await page.locator('#var-TO').getAttribute('type')).toBe('date');
    expect(await page.locator('#var-FROM').getAttribute('required')).not.toBeNull();
    await page.locator('#var-FROM').fill('2014-07-05');
    await page.keyboard.press('Tab');
    await page.locator('#var-TO').fill('2014-08-05');
    await tabTo(page, '#engine');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('run-submit');
    await page.keyboard.press('Enter');
    const item = page.locator(`#analyses button[data-id][data-state="SUCCEEDED"][aria-current="true"]${before.map((id) => `:not([data-id="${id}"])`).join('')}`);
    await item.waitFor({ timeout: 30_000 });
    expect(await item.textContent()).toContain(job);
    await page.locator(`#chart svg ${mark}`).first().waitFor();
    await page.locator('#results tbody tr').first().waitFor();
    return (await item.getAttribute('data-id'))!;
  }

  const runOsRequests = (page: Page): Promise<string> => runJob(page, 'os_requests', 'g.lh-bar');

  async function resultsJson(id: string): Promise<ResultsJson> {
    const res = await fetch(`${api.url}/analyses/${id}/results?limit=1000`);
    expect(res.status).toBe(200);
    return (await res.json()) as ResultsJson;
  }

  const firstColumn = (page: Page): Promise<string[]> => page.locator('#results tbody tr td:first-child').allTextContents();
  const countColumn = async (page: Page): Promise<number[]> => (await page.locator('#results tbody tr td:nth-child(2)').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-v')))).map(Number);

  it('at phone width: polls a PENDING analysis to its end, shows a FAILED one’s error and cause, shows the API’s refusal of bad variables, then runs os_requests from the keyboard: one bar and one table row per result row, sorting by count', async () => {
    const page = await open(375, 812, [PENDING_ID, FAILED_ID]);
    // A running analysis is polled every 2 s until it ends.
    const pendingItem = page.locator(`#analyses button[data-id="${PENDING_ID}"]`);
    await pendingItem.and(page.locator('[data-state="PENDING"]')).waitFor();
    await pendingItem.focus();
    await page.keyboard.press('Enter');
    expect(await page.locator('#detail-body').textContent()).toContain('Waiting for the analysis');
    const records = new RecordStore(cloudContext().storage, `s3://${BUCKET}`);
    const pending = await records.load(PENDING_ID);
    await records.save({ ...pending, state: 'CANCELLED', updatedAt: new Date().toISOString() });
    await page.locator(`#analyses button[data-id="${PENDING_ID}"][data-state="CANCELLED"]`).waitFor({ timeout: 10_000 });
    expect(await page.locator('#detail-title').textContent()).toBe('os_requests — CANCELLED');

    // The analyses of this tab's session come back after a reload; a FAILED one says what and why.
    const failedItem = page.locator(`#analyses button[data-id="${FAILED_ID}"][data-state="FAILED"]`);
    await failedItem.waitFor();
    await failedItem.focus();
    await page.keyboard.press('Enter');
    const alert = page.locator('#detail [role="alert"]');
    expect(await alert.locator('p').allTextContents()).toEqual([
      'Error: map task 3 failed on every attempt: <b>not markup</b>',
      `Cause: TaskFailedError (reading s3://${BUCKET}/logs/cloudfront_logs/dt=2014-07-06/x.gz)`,
    ]);
    expect(await page.locator('#detail b').count()).toBe(0);

    // Variables the API refuses: its message is shown next to the form, and nothing is started.
    await page.locator('#jobs button[data-job="os_requests"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('#var-FROM').fill('2014-08-05');
    await page.locator('#var-TO').fill('2014-07-05');
    await page.locator('#run-submit').focus();
    await page.keyboard.press('Enter');
    await page.locator('#run-error:not(:empty)').waitFor();
    expect(await page.locator('#run-error').textContent()).toMatch(/FROM \(2014-08-05\) is after TO \(2014-07-05\)/);
    expect(await page.locator('#analyses button[data-id]').count()).toBe(2);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur());
    await page.mouse.click(1, 1);

    const id = await runOsRequests(page);
    const results = await resultsJson(id);
    const osNames = results.rows.map((r) => String(r.os));
    expect(osNames.length).toBeGreaterThan(3);

    // The chart: exactly one bar per row, labelled with the OS names, in output order.
    const bars = await page.locator('#chart svg g.lh-bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')));
    expect(bars).toEqual(osNames);
    // The table: the same rows.
    expect(await firstColumn(page)).toEqual(osNames);
    expect(await countColumn(page)).toEqual(results.rows.map((r) => Number(r.count)));
    // The counters from the analysis record.
    const counters = await page.locator('#detail .lh-counters dt').allTextContents();
    expect(counters).toEqual(['Records read', 'Malformed records', 'Rows']);
    expect(await page.locator('#detail .lh-counters dd').nth(2).textContent()).toBe(String(osNames.length));

    // Sort by count with the keyboard: Enter sorts ascending, Space then descending.
    const countHeader = page.locator('#results thead button[data-col="1"]');
    await countHeader.focus();
    await page.keyboard.press('Enter');
    const ascending = await countColumn(page);
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await page.locator('#results thead th').nth(1).getAttribute('aria-sort')).toBe('ascending');
    await page.keyboard.press('Space');
    const descending = await countColumn(page);
    expect(descending).toEqual([...ascending].reverse());
    expect(await page.locator('#results thead th').nth(1).getAttribute('aria-sort')).toBe('descending');

    // Phone width: nothing but the table and chart boxes scrolls sideways.
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // A job description that is markup stays text.
    expect(await page.locator(`#job-desc-${HOSTILE_JOB}`).textContent()).toContain(HOSTILE_TEXT);
    expect(await page.locator('#injected').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).injected)).toBeUndefined();

    await page.screenshot({ path: path.join(ARTIFACTS, 'web-page-phone.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('at desktop width: a line chart for a per-hour job, then os_requests; the analyses list works with the arrow keys; a screenshot for the README', async () => {
    // The real catalog for the README's picture (the markup job was for the test above).
    setCloudContext(createContext({ LOGHIVE_BUCKET: BUCKET, LOGHIVE_S3_ENDPOINT: s3.endpoint, AWS_REGION: 'us-east-1', LOGHIVE_JOBS_DIR: path.join(ROOT, 'jobs'), LOGHIVE_DEFAULT_ENGINE: 'auto' }));
    const page = await open(1280, 900);
    expect(await page.locator(`#jobs button[data-job="${HOSTILE_JOB}"]`).count()).toBe(0);
    // A per-hour job gets a line chart: one point per result row.
    const hourly = await runJob(page, 'hourly_requests', 'path.lh-line');
    expect(await page.locator('#chart svg circle.lh-point').count()).toBe((await resultsJson(hourly)).rows.length);
    expect(await page.locator('#chart svg g.lh-bar').count()).toBe(0);
    await page.mouse.click(1, 1);
    const id = await runOsRequests(page);
    const results = await resultsJson(id);
    const bars = await page.locator('#chart svg g.lh-bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')));
    expect(bars).toEqual(results.rows.map((r) => String(r.os)));
    // The selected analysis is marked in the list, and the list is reachable with Tab.
    expect(await page.locator(`#analyses button[data-id="${id}"]`).getAttribute('aria-current')).toBe('true');
    // Arrow keys move between analyses (newest first), Enter opens one.
    await page.locator(`#analyses button[data-id="${id}"]`).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('');
    expect(await page.locator(`#analyses button[data-id="${hourly}"]`).evaluate((b) => b === b.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.locator('#detail-title').textContent()).toBe('hourly_requests — SUCCEEDED');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await page.locator('#detail-title').textContent()).toBe('os_requests — SUCCEEDED');
    // Sorted by count, descending, for the picture.
    await page.locator('#results thead button[data-col="1"]').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.blur());
    const file = path.join(ARTIFACTS, 'web-page-desktop.png');
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.LOGHIVE_UPDATE_DOCS_IMAGES === '1') await copyFile(file, path.join(ROOT, 'docs/images/web-page.png'));
    expect(problems).toEqual([]);
    await page.context().close();
  });
  it('when deployed with webPage=true: signs in through the hosted UI (code flow with PKCE) and calls the /app/ routes with the token', async () => {
    const page = await open(1024, 800, [], '/signed-in/');
    let challenge = '';
    const exchanged: string[] = [];
    await page.context().route(`https://${SIGN_IN.domain}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/oauth2/authorize') {
        const q = url.searchParams;
        expect(Object.fromEntries(q)).toMatchObject({ response_type: 'code', client_id: SIGN_IN.clientId, code_challenge_method: 'S256', redirect_uri: `${api.url}/signed-in/`, scope: 'openid email' });
        challenge = q.get('code_challenge')!;
        const back = new URL(q.get('redirect_uri')!);
        back.searchParams.set('code', 'the-code');
        back.searchParams.set('state', q.get('state')!);
        await route.fulfill({ status: 302, headers: { location: back.toString() } });
      } else if (url.pathname === '/oauth2/token' && route.request().method() === 'POST') {
        const form = new URLSearchParams(route.request().postData() ?? '');
        exchanged.push(form.get('code') ?? '');
        // The verifier the page kept must hash to the challenge it sent: that is what PKCE proves.
        const ok =
          form.get('grant_type') === 'authorization_code' &&
          form.get('client_id') === SIGN_IN.clientId &&
          form.get('code') === 'the-code' &&
          form.get('redirect_uri') === `${api.url}/signed-in/` &&
          createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === challenge;
        await route.fulfill({
          status: ok ? 200 : 400,
          headers: { 'content-type': 'application/json', 'access-control-allow-origin': api.url },
          body: JSON.stringify(ok ? { access_token: ACCESS_TOKEN, id_token: 'unused', token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_grant' }),
        });
      } else await route.abort();
    });

    // Signed out: nothing is fetched from the API, the page asks to sign in.
    const signIn = page.locator('#account button', { hasText: 'Sign in' });
    await signIn.waitFor();
    expect(await page.locator('#status').textContent()).toBe('Sign in to use loghive.');
    expect(bearerCalls).toEqual({ accepted: 0, refused: 0 });

    await signIn.focus();
    await page.keyboard.press('Enter');
    await page.locator('#jobs button[data-job="os_requests"]').waitFor();
    expect(exchanged).toEqual(['the-code']);
    // The code is gone from the address bar; the page offers to sign out.
    expect(page.url()).toBe(`${api.url}/signed-in/`);
    await page.locator('#account button', { hasText: 'Sign out' }).waitFor();

    const id = await runOsRequests(page);
    const results = await resultsJson(id);
    expect(await page.locator('#chart svg g.lh-bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')))).toEqual(results.rows.map((r) => String(r.os)));
    // Everything went through the token-checked routes: jobs, the start, results and chart.
    expect(bearerCalls.refused).toBe(0);
    expect(bearerCalls.accepted).toBeGreaterThanOrEqual(4);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});

// With Chromium missing, the skip is in the report with its reason.
if (!HAS_CHROMIUM) {
  describe('the web page in headless Chromium', () => {
    it.skip(SKIP_REASON, () => undefined);
  });
}
