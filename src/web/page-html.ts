/**
 * The web page at GET /: one HTML document with its style and script inline
 * (no build step, no CDN), and the Content-Security-Policy that allows
 * exactly those two by their SHA-256 hashes. Hashes rather than a nonce: the
 * page is the same for every request, so nothing random is needed and a test
 * can recompute the policy. Jobs, analyses and results are fetched by the
 * script from relative URLs.
 */
import { createHash } from 'node:crypto';
import { escapeXml } from '../report/format.js';
import { TABLE_SORT_SCRIPT } from '../report/table-sort-script.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/** Cognito's hosted UI for a deployed page; absent offline (no sign-in). */
export interface SignInSettings {
  /** The user pool domain, e.g. `loghive-dev-123456789012.auth.us-east-1.amazoncognito.com`. */
  readonly domain: string;
  /** The app client (public: no secret). */
  readonly clientId: string;
}

export interface WebPageOptions {
  readonly signIn?: SignInSettings;
  /** Prefix of the API routes the page calls, relative to the page: `app/` for the JWT routes. Default ''. */
  readonly apiBase?: string;
  /** How often a running analysis is polled. Default 2000. */
  readonly pollMs?: number;
}

export interface WebPage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

/** `'sha256-…'` as CSP writes a hash source. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy: the inline scripts (the page's and the tables' sorting, shared with the CLI report) and style by hash, fetches to this origin (and the Cognito domain when signing in), nothing else. */
export function pageContentSecurityPolicy(signIn?: SignInSettings): string {
  const connect = ["'self'", ...(signIn ? [`https://${signIn.domain}`] : [])].join(' ');
  return [
    "default-src 'none'",
    `script-src ${cspHash(PAGE_SCRIPT)} ${cspHash(TABLE_SORT_SCRIPT)}`,
    `style-src ${cspHash(PAGE_STYLE)}`,
    `connect-src ${connect}`,
    // The empty data: icon keeps browsers from asking the API for /favicon.ico.
    'img-src data:',
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function renderWebPage(options: WebPageOptions = {}): WebPage {
  const attr = (name: string, value: string | number | undefined): string => (value === undefined || value === '' ? '' : ` ${name}="${escapeXml(String(value))}"`);
  const signIn = options.signIn;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>loghive</title>
<link rel="icon" href="data:,">
<style>${PAGE_STYLE}</style>
</head>
<body>
<main id="app"${attr('data-api', options.apiBase ?? '')}${attr('data-auth-domain', signIn?.domain)}${attr('data-client-id', signIn?.clientId)}${attr('data-poll-ms', options.pollMs)}>
<header class="lh-top">
<h1>loghive</h1>
<div id="account"></div>
<p id="status" class="lh-muted" role="status" aria-live="polite">Loading…</p>
</header>
<noscript><p>This page needs JavaScript; the API (GET /jobs, POST /analyses, …) works without it.</p></noscript>
<div class="lh-layout">
<section aria-labelledby="jobs-title">
<h2 id="jobs-title">Jobs</h2>
<ul id="jobs" class="lh-jobs"></ul>
</section>
<div>
<section id="run" aria-labelledby="run-title" hidden>
<h2 id="run-title">Run</h2>
<p id="run-desc" class="lh-muted"></p>
<form id="run-form" class="lh-run" novalidate>
<div id="run-fields" class="lh-fields"></div>
<div class="lh-field">
<label for="engine">Engine</label>
<select id="engine" name="engine" aria-describedby="engine-hint">
<option value="auto" selected>auto</option>
<option value="lambda">lambda</option>
<option value="emr">emr</option>
</select>
<p id="engine-hint" class="lh-hint">auto runs small inputs in Lambda and the rest on EMR.</p>
</div>
<button id="run-submit" class="lh-button" type="submit">Start analysis</button>
<p id="run-error" class="lh-error-text" role="alert"></p>
</form>
</section>
<section aria-labelledby="analyses-title">
<h2 id="analyses-title">Analyses</h2>
<p id="analyses-empty" class="lh-placeholder">None yet in this session.</p>
<ol id="analyses" class="lh-analyses" aria-label="Analyses, newest first"></ol>
</section>
<section id="detail" aria-labelledby="detail-title" hidden>
<h2 id="detail-title" tabindex="-1">Analysis</h2>
<div id="detail-body"></div>
</section>
</div>
</div>
</main>
<script>${PAGE_SCRIPT}</script>
<script>${TABLE_SORT_SCRIPT}</script>
</body>
</html>
`;
  return { html, contentSecurityPolicy: pageContentSecurityPolicy(signIn) };
}
