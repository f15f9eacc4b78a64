/**
 * A tiny HTTP server on 127.0.0.1 that turns requests into API Gateway HTTP API (payload 2.0)
 * events and calls the handlers directly: what serverless-offline does, without its start-up
 * cost. Routes are the serverless.yml route keys ("GET /analyses/{id}").
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpHandler } from '../../src/api/http-errors.js';
import { lambdaContext } from './api-events.js';

export interface HandlerServer {
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  stop(): Promise<void>;
}

interface Route {
  readonly key: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly handler: HttpHandler;
}

function compile(key: string, handler: HttpHandler): Route {
  const [method, path] = key.split(' ') as [string, string];
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { key, method, pattern: new RegExp(`^${source}$`), names, handler };
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded)|$)/i;

async function toEvent(req: IncomingMessage, route: Route, params: Record<string, string>, url: URL): Promise<APIGatewayProxyEventV2> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  // API Gateway base64-encodes bodies it does not consider text.
  const binary = raw.length > 0 && !TEXT_TYPES.test(headers['content-type'] ?? '');
  const query = Object.fromEntries(url.searchParams);
  return {
    version: '2.0',
    routeKey: route.key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(route.names.length ? { pathParameters: params } : {}),
    ...(raw.length ? { body: binary ? raw.toString('base64') : raw.toString('utf8') } : {}),
    isBase64Encoded: binary,
    requestContext: {
      accountId: 'offline',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `req-${Date.now()}`,
      routeKey: route.key,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}

/** Serves `routes` (route key → handler) until stop(); unknown routes are 404 as API Gateway answers them. */
export async function startHandlerServer(routes: Record<string, HttpHandler>): Promise<HandlerServer> {
  const table = Object.entries(routes).map(([key, handler]) => compile(key, handler));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    let params: Record<string, string> = {};
    const route = table.find((r) => {
      if (r.method !== req.method) return false;
      const m = r.pattern.exec(url.pathname);
      if (!m) return false;
      params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      return true;
    });
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    toEvent(req, route, params, url)
      .then((event) => route.handler(event, lambdaContext(29_000)))
      .then((out) => {
        const body = out.isBase64Encoded ? Buffer.from(out.body, 'base64') : Buffer.from(out.body, 'utf8');
        res.writeHead(out.statusCode, out.headers).end(body);
      })
      .catch((err: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
