import type { EMRClient } from '@aws-sdk/client-emr';
import { S3Client } from '@aws-sdk/client-s3';
import { StorageRegistry } from '../storage/registry.js';
import { loadConfig, type CloudConfig } from '../cloud/config.js';
import { createS3Client } from '../cloud/s3-client.js';
import { S3Storage } from '../cloud/s3-storage.js';
import { createEmrClient } from '../cloud/emr/client.js';
import { EmrAnalysisRunner } from '../cloud/emr/emr-runner.js';
import { loadLogTables, type LogTables } from '../ingest/log-tables.js';

/**
 * What handlers share within one Lambda container: the configuration and the AWS clients, each
 * built on first use and then reused by every later invocation (clients keep their connections
 * and credentials warm). A route that never talks to EMR never builds an EMR client.
 */
export interface CloudContext {
  readonly config: CloudConfig;
  readonly s3: S3Client;
  /**
   * For presigned URLs only. The SDK's default flexible checksums would sign a CRC32 of the
   * (empty) body into the URL, and S3 would then reject the client's real upload as a bad digest.
   */
  readonly presignS3: S3Client;
  readonly emr: EMRClient;
  /**
   * Submits, watches and cancels analysis steps; undefined when the data lives behind a custom
   * S3 endpoint (offline, tests), because an EMR cluster could not read it there.
   */
  readonly emrRunner: EmrAnalysisRunner | undefined;
  /** The engine's storage backends, with S3 registered for s3:// locations. */
  readonly storage: StorageRegistry;
  /** `s3://{bucket}`: the root every module's keys hang from (logs/, incoming/, analyses/ …). */
  readonly root: string;
  /** The ingestible tables from the jobs' DDL, read once per container. */
  logTables(): Promise<LogTables>;
}

/** Builds a context whose members are created lazily from `env`; tests pass their own env or overrides. */
export function createContext(env: NodeJS.ProcessEnv = process.env, overrides: Partial<CloudContext> = {}): CloudContext {
  let config: CloudConfig | undefined = overrides.config;
  let s3: S3Client | undefined = overrides.s3;
  let presignS3: S3Client | undefined = overrides.presignS3;
  let emr: EMRClient | undefined = overrides.emr;
  let emrRunner: EmrAnalysisRunner | undefined = overrides.emrRunner;
  let storage: StorageRegistry | undefined = overrides.storage;
  let tables: Promise<LogTables> | undefined;
  const ctx: CloudContext = {
    get config() {
      return (config ??= loadConfig(env));
    },
    get s3() {
      return (s3 ??= createS3Client({ region: ctx.config.region, ...(ctx.config.s3Endpoint ? { endpoint: ctx.config.s3Endpoint } : {}) }));
    },
    get root() {
      return `s3://${ctx.config.bucket}`;
    },
    get presignS3() {
      const endpoint = ctx.config.s3Endpoint;
      return (presignS3 ??= new S3Client({
        region: ctx.config.region,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      }));
    },
    get emr() {
      // SDK retries off (maxAttempts 1): src/cloud/emr retries itself and knows which calls are not safe to repeat.
      return (emr ??= createEmrClient({ region: ctx.config.region }));
    },
    get emrRunner() {
      if (emrRunner || 'emrRunner' in overrides || ctx.config.s3Endpoint) return emrRunner;
      const { emr: settings } = ctx.config;
      return (emrRunner = new EmrAnalysisRunner({
        client: ctx.emr,
        clusterId: settings.clusterId,
        transient: {
          releaseLabel: settings.releaseLabel,
          instanceType: settings.instanceType,
          instanceCount: settings.instanceCount,
          logUri: settings.logUri,
          jobFlowRole: settings.jobFlowRole,
          serviceRole: settings.serviceRole,
          ...(settings.subnetId ? { subnetId: settings.subnetId } : {}),
        },
        logStorage: ctx.storage.resolve(settings.logUri),
      }));
    },
    get storage() {
      if (!storage) {
        storage = new StorageRegistry();
        // The settings describe ctx.s3's client, so worker threads can build an equivalent one.
        const endpoint = ctx.config.s3Endpoint;
        storage.register(new S3Storage({ region: ctx.config.region, ...(endpoint ? { endpoint } : {}) }, ctx.s3));
      }
      return storage;
    },
    logTables() {
      // A failed read is not cached: the next request tries again.
      tables ??= (overrides.logTables?.() ?? loadLogTables(ctx.config.jobsDir)).catch((err: unknown) => {
        tables = undefined;
        throw err;
      });
      return tables;
    },
  };
  return ctx;
}

let current: CloudContext | undefined;

/** The container's context, built on first use. */
export function cloudContext(): CloudContext {
  return (current ??= createContext());
}

/** Replaces the container's context (tests), or drops it so the next call rebuilds it from process.env. */
export function setCloudContext(ctx: CloudContext | undefined): void {
  current = ctx;
}
