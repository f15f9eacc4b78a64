/**
 * Which page GET / serves, from the page function's environment:
 * LOGHIVE_WEB_AUTH_DOMAIN and LOGHIVE_WEB_CLIENT_ID are set by serverless.yml
 * when the stack is deployed with webPage=true (the Cognito hosted UI domain
 * and the app client), and are empty otherwise. serverless-offline sets
 * IS_OFFLINE; it cannot resolve CloudFormation references either, so offline
 * the page never signs in, whatever those variables hold.
 */
import type { WebPageOptions } from './page-html.js';

/** The routes the page calls when it signs in: the JWT-authorized copies of the API routes (serverless.yml). */
export const SIGNED_IN_API_BASE = 'app/';

export class WebConfigError extends Error {
  readonly httpStatus = 500;
  constructor(message: string) {
    super(message);
    this.name = 'WebConfigError';
  }
}

const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const CLIENT_ID = /^[a-z0-9]{1,128}$/;

export function webPageOptions(env: NodeJS.ProcessEnv = process.env): WebPageOptions {
  if (env.IS_OFFLINE === 'true') return {};
  const domain = env.LOGHIVE_WEB_AUTH_DOMAIN?.trim() ?? '';
  const clientId = env.LOGHIVE_WEB_CLIENT_ID?.trim() ?? '';
  if (domain === '' && clientId === '') return {};
  // Half a configuration, or a value that is not a domain, is a broken deployment: say so rather than serve a page that cannot sign in.
  if (!DOMAIN.test(domain)) throw new WebConfigError('LOGHIVE_WEB_AUTH_DOMAIN must be the user pool domain (name.auth.region.amazoncognito.com)');
  if (!CLIENT_ID.test(clientId)) throw new WebConfigError('LOGHIVE_WEB_CLIENT_ID must be the app client id');
  return { signIn: { domain, clientId }, apiBase: SIGNED_IN_API_BASE };
}
