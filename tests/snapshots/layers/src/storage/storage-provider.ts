import type { Readable } from 'node:stream';
import { z } from 'zod';
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

/** What a successful upload stored. */
export interface StoredObject {
  key: string;
  size: number;
  etag?: string;
}

/** An object being downloaded: the body streams from the provider as the client reads it. */
export interface ObjectDownload {
  body: Readable;
  contentType?: string;
  contentLength?: number;
  etag?: string;
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
}

/**
 * What every storage plugin implements, so application code and the shared routes work
 * with any S3-compatible bucket. Failures are thrown as HttpError (404 when a key is missing).
 */
export interface StorageProvider {
  getInfo(): StorageInfo;
  put(key: string, body: Buffer, contentType: string): Promise<StoredObject>;
  get(key: string): Promise<ObjectDownload>;
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
