/**
 * An R2 event notification body, Cloudflare's shape (extra members Cloudflare may add are ignored). Its own module,
 * free of the runtime, so the API's request schemas (and the OpenAPI script) can name it without the registry.
 */
import { z } from 'zod';

export const FileEventSchema = z.object({
  account: z.string(),
  bucket: z.string(),
  action: z.string(),
  eventTime: z.string(),
  object: z.object({ key: z.string().min(1).max(1024), size: z.number().int().min(0).optional(), eTag: z.string().optional() }),
});
export type FileEvent = z.infer<typeof FileEventSchema>;
