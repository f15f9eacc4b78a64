/**
 * The web page without a browser (tests/browser.test.ts drives it in Chromium): the document is
 * self-contained (no external scripts, styles or images), its CSP allows exactly its inline script
 * and style, configuration is escaped and validated, the handler answers HTML with the page's own
 * headers, and the server-drawn chart is escaped SVG without inline style.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handler as webPageHandler } from '../handlers/web-page.js';
import type { AnalysisRecord } from '../src/analyses/analysis-record.js';
import { ResultsNotReadyError } from '../src/analyses/errors.js';
import { JobCatalog, loadJobCatalog } from '../src/analyses/job-catalog.js';
import { StorageRegistry } from '../src/storage/registry.js';
import { renderAnalysisChart, withoutRootStyle } from '../src/web/analysis-chart.js';
import { pageContentSecurityPolicy, renderWebPage } from '../src/web/page-html.js';
import { TABLE_SORT_SCRIPT } from '../src/report/table-sort-script.js';
import { PAGE_SCRIPT } from '../src/web/page-script.js';
import { PAGE_STYLE } from '../src/web/page-style.js';
import { SIGNED_IN_API_BASE, WebConfigError, webPageOptions } from '../src/web/web-config.js';
import { httpEvent } from './support/api-events.js';
import { tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const SIGN_IN = { domain: 'loghive-dev-123456789012.auth.us-east-1.amazoncognito.com', clientId: '1example23456789abcdefghij' };

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function inlineBlocks(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => {
    expect(m[1], `<${tag}> attributes`).toBe('');
    return m[2]!;
  });
}

describe('the page document', () => {
  for (const [name, options] of [
    ['offline', {}],
    ['signed in', { signIn: SIGN_IN, apiBase: SIGNED_IN_API_BASE }],
  ] as const) {
    it(`loads nothing from elsewhere and has a CSP matching its one inline script and style (${name})`, () => {
      const { html, contentSecurityPolicy } = renderWebPage(options);
      // One script and one style, both inline; no external resources of any kind.
      expect(inlineBlocks(html, 'script')).toEqual([PAGE_SCRIPT, TABLE_SORT_SCRIPT]);
      expect(inlineBlocks(html, 'style')).toEqual([PAGE_STYLE]);
      expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
      expect(html).not.toMatch(/<link\b(?![^>]*rel="icon"[^>]*href="data:,")/i);
      expect(html).not.toMatch(/<(img|iframe|object|embed|audio|video|source)\b/i);
      expect(PAGE_STYLE).not.toMatch(/@import|url\(/i);
      for (const m of html.matchAll(/\s(?:src|href|action)="([^"]*)"/gi)) expect(m[1], m[0]).toMatch(/^data:/);
      // The only absolute URLs: the SVG namespace (never fetched) and, for sign-in, Cognito's hosted UI.
      const urls = new Set([...html.matchAll(/https?:\/\/[^\s'"<>)]*/g)].map((m) => m[0]));
      for (const url of urls) expect(['http://www.w3.org/2000/svg', 'https://']).toContain(url);
      // Relative API calls only: no leading slash, so the page works under any base path.
      expect(PAGE_SCRIPT).not.toMatch(/api\('(GET|POST)', '\//);
      // No inline handlers or style attributes, which the CSP would block.
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/\sstyle=/i);
      expect(PAGE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);

      const csp = directives(contentSecurityPolicy);
      expect(csp.get('default-src')).toEqual(["'none'"]);
      expect(csp.get('script-src')).toEqual([sha256(PAGE_SCRIPT), sha256(TABLE_SORT_SCRIPT)]);
      expect(csp.get('style-src')).toEqual([sha256(PAGE_STYLE)]);
      expect(csp.get('connect-src')).toEqual(options === undefined || !('signIn' in options) ? ["'self'"] : ["'self'", `https://${SIGN_IN.domain}`]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'none'"]);
      expect(contentSecurityPolicy).not.toMatch(/unsafe-|\*/);
    });
  }

  it('puts the sign-in settings in escaped attributes, never in the script', () => {
    const hostile = { domain: 'x"><script>alert(1)</script>', clientId: "a'b&c" };
    const { html, contentSecurityPolicy } = renderWebPage({ signIn: hostile, apiBase: 'app/' });
    expect(inlineBlocks(html, 'script')).toEqual([PAGE_SCRIPT, TABLE_SORT_SCRIPT]);
    expect(html).toContain('data-auth-domain="x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).toContain('data-client-id="a&#39;b&amp;c"');
    expect(html).toContain('data-api="app/"');
    expect(pageContentSecurityPolicy()).toBe(renderWebPage().contentSecurityPolicy);
    expect(contentSecurityPolicy).toContain(`connect-src 'self' https://${hostile.domain}`);
  });

  it('is usable without a pointer: native controls, labelled fields, a live status line, a phone viewport', () => {
    const { html } = renderWebPage();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toMatch(/<p id="status"[^>]*role="status"/);
    expect(html).toContain('<label for="engine">');
    expect(html).toMatch(/<button id="run-submit" class="lh-button" type="submit">/);
    // Visible focus on every kind of control.
    expect(PAGE_STYLE).toMatch(/button:focus-visible, input:focus-visible, select:focus-visible/);
    // Phone width: tables and charts scroll inside their own boxes.
    expect(PAGE_STYLE).toContain('.lh-table-wrap { overflow-x: auto;');
    // The script builds the fields with labels and marks them required, dates as date pickers.
    expect(PAGE_SCRIPT).toContain("type: date ? 'date' : 'text', required: true");
  });
});

describe('which page a deployment serves', () => {
  it('signs in only when both Cognito settings are there, and never offline', () => {
    expect(webPageOptions({})).toEqual({});
    expect(webPageOptions({ LOGHIVE_WEB_AUTH_DOMAIN: '', LOGHIVE_WEB_CLIENT_ID: '' })).toEqual({});
    expect(webPageOptions({ LOGHIVE_WEB_AUTH_DOMAIN: SIGN_IN.domain, LOGHIVE_WEB_CLIENT_ID: SIGN_IN.clientId })).toEqual({ signIn: SIGN_IN, apiBase: 'app/' });
    // serverless-offline passes unresolved CloudFormation functions as "[object Object]": ignored offline.
    expect(webPageOptions({ IS_OFFLINE: 'true', LOGHIVE_WEB_AUTH_DOMAIN: '[object Object]', LOGHIVE_WEB_CLIENT_ID: '[object Object]' })).toEqual({});
  });

  it('refuses half a configuration or values that are not a domain and a client id', () => {
    expect(() => webPageOptions({ LOGHIVE_WEB_AUTH_DOMAIN: SIGN_IN.domain })).toThrow(WebConfigError);
    expect(() => webPageOptions({ LOGHIVE_WEB_CLIENT_ID: SIGN_IN.clientId })).toThrow(WebConfigError);
    expect(() => webPageOptions({ LOGHIVE_WEB_AUTH_DOMAIN: 'https://evil.example/"', LOGHIVE_WEB_CLIENT_ID: SIGN_IN.clientId })).toThrow(/user pool domain/);
  });
});

describe('GET / handler', () => {
  it('answers the page as HTML with its own CSP and the API’s other security headers', async () => {
    const saved = { ...process.env };
    process.env.IS_OFFLINE = 'true';
    try {
      const res = await webPageHandler(httpEvent('GET /'));
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(pageContentSecurityPolicy());
      expect(res.headers['content-security-policy']).not.toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.body).toBe(renderWebPage({}).html);
      expect(res.isBase64Encoded ?? false).toBe(false);
    } finally {
      process.env = saved;
    }
  });
});

describe('the server-drawn chart', () => {
  const dir = tempDir('loghive-web-chart-');
  const storage = new StorageRegistry();

  function record(overrides: Partial<AnalysisRecord> = {}): AnalysisRecord {
    return {
      id: '0b6f1a52-7d1e-4c1a-9b7e-2f4a6c8d0e13',
      job: 'os_requests',
      vars: { FROM: '2014-07-05', TO: '2014-08-05' },
      requestedEngine: 'lambda',
      engine: 'lambda',
      engineReason: 'requested',
      state: 'SUCCEEDED',
      createdAt: '2026-11-26T05:00:00.000Z',
      updatedAt: '2026-11-26T05:00:01.000Z',
      scriptLocation: 's3://b/scripts/x.q',
      hiveVariables: {},
      outputLocation: dir,
      outputFormat: { fieldSeparator: '\x01', nullText: '\\N', collectionSeparator: '\x02' },
      columns: [
        { name: 'os', type: { name: 'string' } },
        { name: 'count', type: { name: 'bigint' } },
      ],
      input: { bytes: 1, partitions: 1, tables: ['cloudfront_logs'] },
      rowCount: 3,
      ...overrides,
    };
  }

  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '000000_0'), ['<script>alert(1)</script>\x015', 'Linux\x013', '\\N\x011', ''].join('\n'));

  it('draws one bar per row with the labels escaped, as SVG the page can import under its CSP', async () => {
    const svg = await renderAnalysisChart(record(), storage, await loadJobCatalog(path.join(ROOT, 'jobs')));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const labels = [...svg.matchAll(/<g class="lh-bar[^"]*" data-label="([^"]*)"/g)].map((m) => m[1]);
    expect(labels).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt;', 'Linux', 'NULL']);
    expect(svg).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(svg).toContain('<title id="lh-chart-title">os_requests: count by os</title>');
  });

  it('falls back to the default chart for a job no longer in the catalog, and draws nothing for a result without numbers', async () => {
    const empty = new JobCatalog([]);
    const svg = await renderAnalysisChart(record({ job: 'gone' }), storage, empty);
    expect([...svg.matchAll(/<g class="lh-bar/g)]).toHaveLength(3);
    const untyped = record({ columns: [{ name: 'os', type: { name: 'string' } }, { name: 'count', type: { name: 'string' } }] });
    expect(await renderAnalysisChart(untyped, storage, await loadJobCatalog(path.join(ROOT, 'jobs')))).toBe('');
  });

  it('is a 409 until the analysis SUCCEEDED', async () => {
    await expect(renderAnalysisChart(record({ state: 'RUNNING' }), storage, new JobCatalog([]))).rejects.toBeInstanceOf(ResultsNotReadyError);
  });

  it('drops only the root’s style attribute', () => {
    expect(withoutRootStyle('<svg xmlns="x" style="max-width:960px;height:auto" role="img"><g style="a"/></svg>')).toBe('<svg xmlns="x" role="img"><g style="a"/></svg>');
  });
});
