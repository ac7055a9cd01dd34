import type { Readable } from 'node:stream';
import * as z from 'zod';
import { HttpError } from '../lib/errors.js';
import { serviceKey } from '../lib/services.js';

/**
 * The storage plugins. Each serves the storage routes under `/api/storage/<id>/`, so keys whose
 * first segment is `<id>` are refused: under the default routes (`/api/storage`) they would name
 * that plugin's routes.
 */
export const storagePluginIds = ['s3', 'r2'] as const;

export type StoragePluginId = (typeof storagePluginIds)[number];

/** Whether a path segment is where a storage plugin's own routes live (Express matches paths case-insensitively). */
export function isPluginPrefix(segment: string): boolean {
  return storagePluginIds.some((id) => id === segment.toLowerCase());
}

/** S3's ceiling for SigV4 presigned URLs: seven days. */
export const MAX_PRESIGN_SECONDS = 604_800;

/**
 * Settings of the storage layer that every storage plugin reads besides its own, so its routes
 * and the default ones under `/api/storage` apply the same limits.
 */
export const sharedStorageEnv = z.object({
  STORAGE_PRESIGN_MAX_SECONDS: z.coerce
    .number({ message: 'must be a whole number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(MAX_PRESIGN_SECONDS, `must be at most ${MAX_PRESIGN_SECONDS} seconds (seven days, the longest S3 signs for)`)
    .default(3600),
});

/** What a successful upload stored. */
export interface StoredObject {
  key: string;
  size: number;
  etag?: string;
}

/**
 * One range of bytes, as a `Range` header asks for it: `bytes=start-end`, `bytes=start-` (to the
 * end) or `bytes=-suffixLength` (the last bytes). An end past the object is read as its last byte.
 */
export type ByteRange = { start: number; end?: number } | { suffixLength: number };

/** An object being downloaded: the body streams from the provider as the client reads it. */
export interface ObjectDownload {
  body: Readable;
  contentType?: string;
  /** Bytes in `body`: the part's length when `range` is set. */
  contentLength?: number;
  etag?: string;
  /** Set when `body` is only part of the object: its first and last byte, and the object's size. */
  range?: { start: number; end: number; size: number };
}

/** Thrown by `get` for a range that starts past the end of the object; the answer names its size. */
export class RangeNotSatisfiableError extends HttpError {
  constructor(readonly size: number) {
    super(416, `The requested range is not satisfiable: the object has ${size} bytes.`);
  }
}

export type PresignedOperation = 'get' | 'put';

/** S3's limit of parts in one multipart upload. */
export const MAX_PARTS = 10_000;

/** One uploaded part of a multipart upload, as its route validates it and `completeMultipartUpload` needs it. */
export const uploadedPartSchema = z.object({ partNumber: z.number().int().min(1).max(MAX_PARTS), etag: z.string().min(1) });

// The parsed type rather than an interface, which parsed parts would not fit in projects without
// strictNullChecks (zod 3 then types every parsed field as optional).
export type UploadedPart = z.infer<typeof uploadedPartSchema>;

/** What the app can know about a storage provider without calling it. */
export interface StorageInfo {
  id: string;
  name: string;
  bucket: string;
  /** Largest file (or multipart part) the storage routes accept in one request. */
  maxUploadBytes: number;
  /** Longest lifetime a presigned URL may be given, from STORAGE_PRESIGN_MAX_SECONDS. */
  maxPresignSeconds: number;
}

/**
 * What every storage plugin implements, so application code and the shared routes work
 * with any S3-compatible bucket. Failures are thrown as HttpError (404 when a key is missing).
 */
export interface StorageProvider {
  getInfo(): StorageInfo;
  put(key: string, body: Buffer, contentType: string): Promise<StoredObject>;
  /**
   * Streams the object, or only `range` of it when the provider serves ranges (`range` in the
   * answer says which bytes came). Throws RangeNotSatisfiableError when the range starts past its end.
   */
  get(key: string, range?: ByteRange): Promise<ObjectDownload>;
  /** Succeeds whether or not the object existed, like S3 itself. */
  delete(key: string): Promise<void>;
  /**
   * A URL the browser can use directly, without credentials. For 'put' the client must send
   * the same Content-Type; for 'get' it sets the Content-Type of the response.
   */
  presignedUrl(key: string, operation: PresignedOperation, expiresInSeconds: number, contentType?: string): Promise<string>;
  /** Starts an upload sent in parts (for files too large for one request); returns its upload id. */
  createMultipartUpload(key: string, contentType?: string): Promise<string>;
  /** Stores one part (1..10000) and returns its ETag, which completing the upload needs. */
  uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string>;
  completeMultipartUpload(key: string, uploadId: string, parts: UploadedPart[]): Promise<{ etag?: string }>;
  /** Abandons the upload so its stored parts stop costing money. */
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;
  /** A cheap live call proving the bucket is reachable with these credentials. */
  checkBucket(signal?: AbortSignal): Promise<void>;
}

/** Every configured storage plugin provides itself under this key; the default /api/storage routes pick from them. */
export const storageProviders = serviceKey<StorageProvider>('storage-provider');
