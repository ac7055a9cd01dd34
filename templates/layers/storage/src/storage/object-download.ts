import { pipeline } from 'node:stream/promises';
import { create as contentDisposition } from 'content-disposition';
import type { Request, Response } from 'express';
import { parseRangeHeader } from './byte-range.js';
import type { ObjectDownload, StorageProvider } from './storage-provider.js';
import { RangeNotSatisfiableError } from './storage-provider.js';

// Types a browser shows without running anything from the file. SVG is not one of them: it is a
// document that can carry scripts, like HTML.
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'application/pdf']);
const INLINE_TYPE_FAMILIES = ['audio/', 'video/'];

// Uploads are served from the app's own origin, where an HTML page or SVG would run its scripts with
// the app's cookies. `sandbox` gives such a document an opaque origin and no scripts; `default-src
// 'none'` stops it loading anything. Inline styles stay allowed: browsers style the pages they wrap
// around images and PDFs with them (Chrome's PDF viewer shows a sliver without them, crbug.com/271452).
const CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

/**
 * Streams an object to the client: 206 with the part asked for by a single `Range`, 416 for a
 * range past its end, else 200 with all of it. Only inert types (images other than SVG, audio,
 * video, PDF) are shown in the browser; anything else is a download, and none may be sniffed as
 * another type or run scripts. HEAD, which Express routes to GET, gets the same headers.
 */
export async function sendObject(storage: StorageProvider, key: string, req: Request, res: Response): Promise<void> {
  const object = await getObject(storage, key, req, res);
  res.status(object.range ? 206 : 200);
  // setHeader rather than res.set, which would add a charset to the stored Content-Type.
  res.setHeader('Content-Type', object.contentType ?? 'application/octet-stream');
  res.setHeader('Content-Disposition', contentDisposition(fileName(key), { type: isInline(object.contentType) ? 'inline' : 'attachment' }));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('Accept-Ranges', 'bytes');
  if (object.range) res.setHeader('Content-Range', `bytes ${object.range.start}-${object.range.end}/${object.range.size}`);
  if (object.contentLength !== undefined) res.setHeader('Content-Length', object.contentLength);
  if (object.etag) res.setHeader('ETag', object.etag);

  if (req.method === 'HEAD') {
    // Stops the provider's body instead of reading it all for nothing.
    object.body.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(object.body, res);
  } catch (error) {
    // A client that stops reading (a closed tab, a seek in a video) is not a server failure.
    if (!isPrematureClose(error)) throw error;
  }
}

// If-Range is not checked (S3 has no such condition): a client resuming with it gets the whole
// object, which is always a correct answer, rather than a part of a newer version.
async function getObject(storage: StorageProvider, key: string, req: Request, res: Response): Promise<ObjectDownload> {
  const range = req.headers['if-range'] === undefined ? parseRangeHeader(req.headers.range) : undefined;
  try {
    return await storage.get(key, range);
  } catch (error) {
    // The size lets the client ask again for a range that exists (RFC 9110).
    if (error instanceof RangeNotSatisfiableError) res.setHeader('Content-Range', `bytes */${error.size}`);
    throw error;
  }
}

// Decided by the stored type, whatever its case or parameters (`Image/PNG; q=1`); unknown types are downloads.
function isInline(contentType: string | undefined): boolean {
  const [mediaType = ''] = (contentType ?? '').split(';');
  const type = mediaType.trim().toLowerCase();
  return INLINE_TYPES.has(type) || INLINE_TYPE_FAMILIES.some((family) => type.startsWith(family));
}

// The name a browser saves the file under: the key's last segment (`users/42/avatar.png` → `avatar.png`).
function fileName(key: string): string {
  return (
    key
      .split('/')
      .filter((segment) => segment !== '')
      .pop() ?? key
  );
}

function isPrematureClose(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE';
}
