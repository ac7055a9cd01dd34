import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler } from 'express';
import express, { Router } from 'express';
import multer from 'multer';
import * as z from 'zod';
import { asyncHandler } from '../lib/async-handler.js';
import { HttpError } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { sendObject } from './object-download.js';
import type { StorageProvider } from './storage-provider.js';
import { isPluginPrefix, MAX_PARTS, storagePluginIds, uploadedPartSchema } from './storage-provider.js';

const MAX_KEY_BYTES = 1024;
const DEFAULT_PRESIGN_SECONDS = 900;
// The rest of the path is the key, slashes included (`users/42/avatar.png`). A regular expression
// rather than a `/*key` wildcard, which only Express 5 understands; its match is `req.params[0]`.
const OBJECT_PATH = /^\/(.+)$/;

// S3 accepts almost any key; these rules keep keys usable as URL paths, without traversal tricks.
const objectKey = z
  .string()
  .min(1, 'must not be empty')
  .refine((key) => Buffer.byteLength(key) <= MAX_KEY_BYTES, `must be at most ${MAX_KEY_BYTES} bytes`)
  .refine((key) => !key.startsWith('/'), "must not start with '/'")
  .refine((key) => key.split('/').every((segment) => segment !== '.' && segment !== '..'), "must not contain '.' or '..' segments")
  .refine(
    (key) => !isPluginPrefix(key.split('/', 1)[0] ?? ''),
    `must not have ${storagePluginIds.map((id) => `'${id}'`).join(' or ')} as its first segment`,
  );

const uploadId = z.string().min(1, 'must not be empty');

const keyParams = z.object({ key: objectKey });

export const uploadFields = z.object({ key: objectKey.optional() });

function presignedUrlBody(maxPresignSeconds: number) {
  return z.object({
    key: objectKey,
    operation: z.enum(['get', 'put']).optional(),
    expiresIn: z
      .number()
      .int()
      .min(1)
      .max(maxPresignSeconds, `must be at most ${maxPresignSeconds} seconds, the limit STORAGE_PRESIGN_MAX_SECONDS sets`)
      .optional(),
    contentType: z.string().min(1).optional(),
  });
}

export const multipartInitBody = z.object({ key: objectKey, contentType: z.string().min(1).optional() });

export const multipartPartQuery = z.object({ key: objectKey, uploadId, partNumber: z.coerce.number().int().min(1).max(MAX_PARTS) });

export const multipartCompleteBody = z.object({
  key: objectKey,
  uploadId,
  parts: z.array(uploadedPartSchema).min(1).max(MAX_PARTS),
});

export const multipartAbortBody = z.object({ key: objectKey, uploadId });

/**
 * Upload, streamed download, delete, presigned URLs and multipart uploads on any storage
 * provider; larger requests than its `maxUploadBytes` get 413, presigned URLs live at most its
 * `maxPresignSeconds`. Uploads are held in memory while they are sent on, so keep that limit
 * modest and send large files as multipart parts or straight to a presigned PUT URL.
 */
export function createStorageRouter(storage: StorageProvider): Router {
  const { maxUploadBytes, maxPresignSeconds } = storage.getInfo();
  const presignRequest = presignedUrlBody(maxPresignSeconds);
  // A lower limit lowers the default too, so a request without `expiresIn` is never refused.
  const defaultPresignSeconds = Math.min(DEFAULT_PRESIGN_SECONDS, maxPresignSeconds);
  const router = Router();
  const json = express.json({ limit: '1mb' });
  const receiveFile = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxUploadBytes, files: 1 } }).single('file');
  const receivePart = express.raw({ type: () => true, limit: maxUploadBytes });

  router.post(
    '/upload',
    receiveFile,
    asyncHandler(async (req, res) => {
      const { file } = req;
      if (!file) throw new HttpError(400, 'Send the file as multipart/form-data in the field `file`.');
      const fields = validate(uploadFields, req.body);
      const key = fields.key ?? keyFromFileName(file.originalname);
      const stored = await storage.put(key, file.buffer, file.mimetype || 'application/octet-stream');
      res.status(201).json(stored);
    }),
  );

  router.post(
    '/presigned-url',
    json,
    asyncHandler(async (req, res) => {
      const { key, operation = 'get', expiresIn = defaultPresignSeconds, contentType } = validate(presignRequest, req.body);
      const url = await storage.presignedUrl(key, operation, expiresIn, contentType);
      res.json({ url, expiresIn });
    }),
  );

  router.post(
    '/multipart/init',
    json,
    asyncHandler(async (req, res) => {
      const { key, contentType } = validate(multipartInitBody, req.body);
      const uploadId = await storage.createMultipartUpload(key, contentType);
      res.status(201).json({ key, uploadId });
    }),
  );

  router.put(
    '/multipart/part',
    receivePart,
    asyncHandler(async (req, res) => {
      const { key, uploadId, partNumber } = validate(multipartPartQuery, req.query);
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, 'Send the part as the raw request body.');
      const etag = await storage.uploadPart(key, uploadId, partNumber, body);
      res.json({ partNumber, etag });
    }),
  );

  router.post(
    '/multipart/complete',
    json,
    asyncHandler(async (req, res) => {
      const { key, uploadId, parts } = validate(multipartCompleteBody, req.body);
      const { etag } = await storage.completeMultipartUpload(key, uploadId, parts);
      res.json({ key, etag });
    }),
  );

  router.post(
    '/multipart/abort',
    json,
    asyncHandler(async (req, res) => {
      const { key, uploadId } = validate(multipartAbortBody, req.body);
      await storage.abortMultipartUpload(key, uploadId);
      res.status(204).end();
    }),
  );

  router.get(
    OBJECT_PATH,
    asyncHandler(async (req, res) => {
      const { key } = validate(keyParams, { key: req.params[0] });
      await sendObject(storage, key, req, res);
    }),
  );

  router.delete(
    OBJECT_PATH,
    asyncHandler(async (req, res) => {
      const { key } = validate(keyParams, { key: req.params[0] });
      await storage.delete(key);
      res.status(204).end();
    }),
  );

  router.use(explainUploadErrors(maxUploadBytes));
  return router;
}

// Client file names can hold anything: keep a URL-safe tail of it (with the extension) after a unique prefix.
function keyFromFileName(fileName: string): string {
  const safeName = fileName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-100) || 'file';
  return `${randomUUID()}-${safeName}`;
}

// Multer and the raw body parser each word their errors their own way: give clients one clear message.
function explainUploadErrors(maxUploadBytes: number): ErrorRequestHandler {
  return (error: unknown, _req, _res, next) => {
    if (isTooLarge(error)) next(new HttpError(413, `The upload is larger than the limit of ${maxUploadBytes} bytes.`));
    else if (error instanceof multer.MulterError) next(new HttpError(400, `Invalid upload: ${error.message}.`, { field: error.field }));
    else next(error);
  };
}

function isTooLarge(error: unknown): boolean {
  if (error instanceof multer.MulterError) return error.code === 'LIMIT_FILE_SIZE';
  return typeof error === 'object' && error !== null && (error as { type?: unknown }).type === 'entity.too.large';
}
