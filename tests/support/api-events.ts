/**
 * API Gateway HTTP API v2 and S3 notification events, shaped as the services send them, for
 * driving the handlers in tests.
 */
import type { APIGatewayProxyEventV2, Context, S3Event } from 'aws-lambda';
import type { ErrorBody } from '../../src/api/http-errors.js';
import type { HttpResponse } from '../../src/api/responses.js';

/** An API Gateway HTTP API (payload 2.0) event, as the service receives it. */
export function httpEvent(routeKey: string, options: { path?: string; pathParameters?: Record<string, string>; query?: Record<string, string>; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean } = {}): APIGatewayProxyEventV2 {
  const [method, route] = routeKey.split(' ') as [string, string];
  const rawPath = options.path ?? route.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? name);
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', ...options.headers },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '26/Nov/2026:05:00:00 +0000',
      timeEpoch: 1_795_669_200_000,
    },
  };
}

export function s3Event(bucket: string, key: string, size: number, eventName = 'ObjectCreated:Put'): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: '2026-11-26T05:00:00.000Z',
        eventName,
        userIdentity: { principalId: 'AWS:EXAMPLE' },
        requestParameters: { sourceIPAddress: '192.0.2.1' },
        responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'r2' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'loghive-ingest',
          bucket: { name: bucket, ownerIdentity: { principalId: 'EXAMPLE' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size, eTag: 'e', sequencer: '0' },
        },
      },
    ],
  };
}

export const lambdaContext = (remainingMs: number): Context => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

export function body<T = ErrorBody>(res: HttpResponse): T {
  return JSON.parse(res.body) as T;
}


/**
 * The handlers build their AWS clients from the environment, as in Lambda: this puts s3rver's fixed
 * credentials there and returns the function that restores the environment as it was.
 */
export function useS3rverCredentials(): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
