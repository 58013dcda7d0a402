/** The R2 binding as the runtime's BlobStore port (raw bodies, normalized documents, FILES objects). */
import type { BlobInfo, BlobStore } from '../core/ports';

export class R2BlobStore implements BlobStore {
  constructor(private readonly bucket: R2Bucket) {}

  async putIfAbsent(key: string, body: string | ArrayBuffer | Uint8Array | (() => string), contentType: string): Promise<boolean> {
    // One conditional put, not head-then-put: R2 refuses the write (answers null) when any object holds the key.
    // Content-addressed keys make "already there" mean "these bytes", so the refusal is the dedupe.
    const written = await this.bucket.put(key, typeof body === 'function' ? body() : body, {
      httpMetadata: { contentType },
      onlyIf: { etagDoesNotMatch: '*' },
    });
    return written !== null;
  }

  async put(key: string, body: string | ArrayBuffer | Uint8Array, contentType: string): Promise<void> {
    await this.bucket.put(key, body, { httpMetadata: { contentType } });
  }

  async getText(key: string): Promise<string | null> {
    const obj = await this.bucket.get(key);
    return obj ? obj.text() : null;
  }

  async getBytes(key: string): Promise<Uint8Array | null> {
    const obj = await this.bucket.get(key);
    return obj ? new Uint8Array(await obj.arrayBuffer()) : null;
  }

  async getObject(key: string): Promise<{ bytes: Uint8Array; contentType: string | null } | null> {
    const obj = await this.bucket.get(key);
    return obj ? { bytes: new Uint8Array(await obj.arrayBuffer()), contentType: obj.httpMetadata?.contentType ?? null } : null;
  }

  async getStream(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number; contentType: string | null } | null> {
    const obj = await this.bucket.get(key);
    return obj ? { body: obj.body, size: obj.size, contentType: obj.httpMetadata?.contentType ?? null } : null;
  }

  async list(prefix: string, opts: { cursor?: string; limit?: number } = {}): Promise<{ keys: BlobInfo[]; cursor: string | null }> {
    const page = await this.bucket.list({ prefix, cursor: opts.cursor, limit: opts.limit ?? 1000 });
    const keys = page.objects.map((o) => ({ key: o.key, size: o.size, etag: o.etag, uploadedAt: o.uploaded.getTime() }));
    return { keys, cursor: page.truncated ? page.cursor : null };
  }

  async copy(from: string, to: string): Promise<boolean> {
    // R2 has no server-side copy in the binding: stream the object across, keeping its content type.
    const obj = await this.bucket.get(from);
    if (!obj) return false;
    await this.bucket.put(to, obj.body, { httpMetadata: obj.httpMetadata });
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.bucket.delete(key);
  }
}
