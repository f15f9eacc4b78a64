import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * Responses with the same security headers on every route. The API returns data, never pages:
 * nosniff stops a browser from guessing HTML out of a JSON or CSV body, no-store keeps analysis
 * results and presigned URLs out of shared caches, and the CSP forbids everything should a
 * response ever be rendered anyway.
 */

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string>; body: string };

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

function respond(statusCode: number, contentType: string, body: string, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { ...SECURITY_HEADERS, 'content-type': contentType, ...headers },
    body,
  };
}

/** A JSON body (what every route but CSV results returns). */
export function json(statusCode: number, body: unknown, headers?: Record<string, string>): HttpResponse {
  return respond(statusCode, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

/** CSV (RFC 4180); `fileName` makes browsers download it instead of displaying it. */
export function csv(statusCode: number, body: string, fileName?: string, headers?: Record<string, string>): HttpResponse {
  const disposition: Record<string, string> = fileName ? { 'content-disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"` } : {};
  return respond(statusCode, 'text/csv; charset=utf-8; header=present', body, { ...disposition, ...headers });
}

/** Plain text. */
export function text(statusCode: number, body: string, headers?: Record<string, string>): HttpResponse {
  return respond(statusCode, 'text/plain; charset=utf-8', body, headers);
}

/** No body (204 after a DELETE, for instance). */
export function noContent(headers?: Record<string, string>): HttpResponse {
  return { statusCode: 204, headers: { ...SECURITY_HEADERS, ...headers }, body: '' };
}
