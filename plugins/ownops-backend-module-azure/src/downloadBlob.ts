import { BlobClient } from '@azure/storage-blob';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TimeoutError } from './timeouts';

/**
 * Streams a blob into `target` and returns the bytes written. Fails if the
 * blob is no longer the version with `etag` (it changed since it was
 * listed), if Azure sends nothing for `idleTimeoutMs`, or when `signal`
 * aborts (with its reason).
 */
export async function downloadBlob(
  blob: BlobClient,
  target: Writable,
  options: { etag: string; idleTimeoutMs: number; signal?: AbortSignal },
): Promise<number> {
  const { etag, idleTimeoutMs, signal } = options;
  const idle = new AbortController();
  const aborted = signal ? AbortSignal.any([signal, idle.signal]) : idle.signal;
  const timer = setTimeout(() => idle.abort(), idleTimeoutMs);
  let bytes = 0;
  try {
    const response = await blob.download(0, undefined, {
      abortSignal: aborted,
      conditions: { ifMatch: quoted(etag) },
    });
    if (!response.readableStreamBody) {
      throw new Error('Azure Storage answered without a body');
    }
    await pipeline(
      response.readableStreamBody,
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          timer.refresh();
          bytes += chunk.length;
          done(null, chunk);
        },
      }),
      target,
      { signal: aborted },
    );
    return bytes;
  } catch (error) {
    target.destroy();
    signal?.throwIfAborted();
    if (idle.signal.aborted) {
      throw new TimeoutError(
        `Azure Storage sent nothing for ${idleTimeoutMs} ms (after ${bytes} bytes)`,
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Listings give ETags bare; `If-Match` takes them quoted. */
function quoted(etag: string): string {
  return etag.startsWith('"') ? etag : `"${etag}"`;
}
