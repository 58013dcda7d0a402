/**
 * File triggers: an object created in the FILES bucket becomes a job of every pipeline whose trigger prefix it is
 * under. Two paths produce the same FileEvent (Cloudflare's R2 event notification shape): the notification
 * arriving on the jobs queue (src/worker/queue-consumer.ts), and the prefix scan (cron and
 * POST /internal/v1/files/scan) for deployments or local runs without notifications. Both go through routeFileEvent
 * and the normal enqueue path, with an idempotency key of the pipeline, key and eTag: a redelivered notification,
 * a scan that finds an already imported file, or both for one file create no second job.
 */
import { filePrefixFor, type AdapterConfig } from '../core/config';
import { FileEventSchema, type FileEvent } from '../core/file-event';
import { AdapterError } from '../core/errors';
import type { AnyPipeline } from '../core/pipeline';
import type { BlobStore, JobQueue, Store, Logger } from '../core/ports';
import type { FileObject } from '../core/source';
import { TERMINAL_STATES } from '../core/types';
import { listPipelines } from '../pipelines/registry';
import { enqueueJob } from './enqueue';
import { settleFinishedJob } from './settle';

/** Actions that create an object; deletions and lifecycle expiries start nothing. */
export const CREATE_ACTIONS = ['PutObject', 'CopyObject', 'CompleteMultipartUpload'] as const;

export { FileEventSchema, type FileEvent };

export interface FileTriggerDeps {
  store: Store;
  queue: JobQueue;
  log: Logger;
  now: () => number;
  config: Pick<AdapterConfig, 'maxAttempts' | 'filePrefixes'>;
  files?: BlobStore;
}

export interface RoutedFile {
  pipeline: string;
  key: string;
  jobId: string | null;
  created: boolean;
  /** Why no job: `ignored` (the trigger's params said no) or an enqueue error code. */
  skipped?: string;
}

/** Pipelines with a file trigger and the prefix each one watches (config override applied). */
export function fileTriggers(config: FileTriggerDeps['config'], only?: string): Array<{ pipeline: AnyPipeline; prefix: string }> {
  return listPipelines()
    .filter((p) => p.fileTrigger && (!only || p.name === only))
    .map((p) => ({ pipeline: p, prefix: filePrefixFor(config, p.name, p.fileTrigger!.prefix) }));
}

export function fileIdempotencyKey(pipeline: string, object: FileObject): string {
  return `file:${pipeline}:${object.key}:${object.eTag ?? `size-${object.size}`}`;
}

/** One FileEvent to jobs: one per matching pipeline, deduplicated by the idempotency key. */
export async function routeFileEvent(
  deps: FileTriggerDeps,
  event: FileEvent,
  origin: 'notification' | 'scan',
  only?: string,
): Promise<RoutedFile[]> {
  if (!(CREATE_ACTIONS as readonly string[]).includes(event.action)) return [];
  const object: FileObject = {
    key: event.object.key,
    size: event.object.size ?? 0,
    ...(event.object.eTag ? { eTag: event.object.eTag } : {}),
  };
  const routed: RoutedFile[] = [];
  for (const { pipeline, prefix } of fileTriggers(deps.config, only)) {
    if (!object.key.startsWith(prefix)) continue;
    const params = pipeline.fileTrigger!.params(object as never, prefix);
    if (params === null) {
      routed.push({ pipeline: pipeline.name, key: object.key, jobId: null, created: false, skipped: 'ignored' });
      continue;
    }
    let enqueued;
    try {
      enqueued = await enqueueJob(
        { ...deps, defaultMaxAttempts: deps.config.maxAttempts },
        {
          pipeline: pipeline.name,
          params: params as Record<string, unknown>,
          idempotencyKey: fileIdempotencyKey(pipeline.name, object),
          requestId: `file:${object.key}`,
          actor: `file-trigger:${origin}`,
          requestedBy: 'file-trigger',
          reason: `${event.action} of ${event.bucket}/${object.key} (${origin})`,
        },
      );
    } catch (err) {
      // A file the pipeline cannot take (params refused: a key too long) will never be taken: say so, go on.
      // Anything else (storage down) is thrown, so the notification is redelivered.
      if (!(err instanceof AdapterError) || err.retryable) throw err;
      deps.log.warn('file not enqueued', { pipeline: pipeline.name, key: object.key, error_code: err.code, error: err.message });
      routed.push({ pipeline: pipeline.name, key: object.key, jobId: null, created: false, skipped: err.code });
      continue;
    }
    const { job, created } = enqueued;
    // Found again after its job finished (a settle that never completed leaves the file in place): settle now.
    if (!created && TERMINAL_STATES.includes(job.state)) await settleFinishedJob(deps, job.id, pipeline.name);
    routed.push({ pipeline: pipeline.name, key: object.key, jobId: job.id, created });
  }
  return routed;
}

export interface ScanReport {
  pipelines: Array<{
    pipeline: string;
    prefix: string;
    objects: number;
    created: number;
    existing: number;
    ignored: number;
    truncated: boolean;
  }>;
}

/**
 * Lists each trigger prefix (or one pipeline's) and routes every object as the notification for it would be.
 * Bounded per run (`maxObjects` per pipeline); what is left is found by the next run.
 */
export async function scanFilePrefixes(
  deps: FileTriggerDeps & { files: BlobStore },
  opts: { pipeline?: string; maxObjects?: number; bucket?: string } = {},
): Promise<ScanReport> {
  const max = opts.maxObjects ?? 500;
  const report: ScanReport = { pipelines: [] };
  for (const { pipeline, prefix } of fileTriggers(deps.config, opts.pipeline)) {
    const row = { pipeline: pipeline.name, prefix, objects: 0, created: 0, existing: 0, ignored: 0, truncated: false };
    let cursor: string | undefined;
    do {
      const page = await deps.files.list(prefix, { cursor, limit: Math.min(1000, max - row.objects) });
      for (const o of page.keys) {
        row.objects++;
        const event: FileEvent = {
          account: 'scan',
          bucket: opts.bucket ?? 'ingestion-files',
          action: 'PutObject',
          eventTime: new Date(o.uploadedAt).toISOString(),
          object: { key: o.key, size: o.size, eTag: o.etag },
        };
        for (const r of await routeFileEvent(deps, event, 'scan', pipeline.name)) {
          if (r.skipped) row.ignored++;
          else if (r.created) row.created++;
          else row.existing++;
        }
      }
      cursor = page.cursor ?? undefined;
      if (cursor && row.objects >= max) {
        row.truncated = true;
        break;
      }
    } while (cursor);
    report.pipelines.push(row);
  }
  return report;
}
