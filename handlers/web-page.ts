import { httpHandler } from '../src/api/http-errors.js';
import { text } from '../src/api/responses.js';
import { renderWebPage, type WebPage } from '../src/web/page-html.js';
import { webPageOptions } from '../src/web/web-config.js';

let page: WebPage | undefined;

/**
 * GET /: the web page (src/web). Static for a given deployment, so it is built once per container;
 * its own CSP (inline script and style by hash) replaces the API's deny-all one.
 */
export const handler = httpHandler(async () => {
  page ??= renderWebPage(webPageOptions(process.env));
  return text(200, page.html, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.contentSecurityPolicy });
});
