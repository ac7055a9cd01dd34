import { pipeline } from 'node:stream/promises';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import express, { Router } from 'express';
import type { FileFilterCallback } from 'multer';
import multer from 'multer';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { validate } from '../../lib/validate.js';
import { cloneFields, historyQuery, synthesizeBody, voicesQuery } from './elevenlabs.schema.js';
import type { ElevenLabsService, Speech } from './elevenlabs.service.js';

// Instant voice cloning wants one to a few minutes of clean speech: a handful of files is plenty.
const MAX_SAMPLES = 5;
const MAX_SAMPLE_BYTES = 10 * 1024 * 1024;

/** The plugin's HTTP API, mounted at /api/voice/elevenlabs; every route is rate limited. */
export function createElevenLabsRouter(service: ElevenLabsService, rateLimit: RequestHandler): Router {
  const router = Router();
  router.use(rateLimit, express.json({ limit: '1mb' }));
  const receiveSamples = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_SAMPLE_BYTES, files: MAX_SAMPLES },
    fileFilter: acceptAudioOnly,
  }).array('files', MAX_SAMPLES);

  router.post(
    '/synthesize',
    asyncHandler(async (req, res) => {
      const request = validate(synthesizeBody, req.body);
      // A client that leaves (closed tab, skipped track) stops the generation it no longer hears.
      const upstream = new AbortController();
      res.on('close', () => upstream.abort());

      let speech: Speech;
      try {
        speech = await service.synthesize(request, upstream.signal);
      } catch (error) {
        if (upstream.signal.aborted) return;
        throw error;
      }
      res.status(200).set({ 'Content-Type': speech.contentType, 'Cache-Control': 'no-store' });
      try {
        await pipeline(speech.audio, res);
      } catch (error) {
        if (!upstream.signal.aborted) throw error;
      }
    }),
  );

  router.get(
    '/voices',
    asyncHandler(async (req, res) => {
      res.json(await service.listVoices(validate(voicesQuery, req.query)));
    }),
  );

  router.post(
    '/clone',
    receiveSamples,
    asyncHandler(async (req, res) => {
      const files = Array.isArray(req.files) ? req.files : [];
      if (files.length === 0) {
        throw new HttpError(400, `Send 1 to ${MAX_SAMPLES} audio samples as multipart/form-data in the field \`files\`.`);
      }
      const { name, description, removeBackgroundNoise } = validate(cloneFields, req.body);
      const voice = await service.cloneVoice({
        name,
        description,
        removeBackgroundNoise: removeBackgroundNoise === undefined ? undefined : removeBackgroundNoise === 'true',
        samples: files.map((file) => ({ data: file.buffer, filename: file.originalname, contentType: file.mimetype })),
      });
      res.status(201).json(voice);
    }),
  );

  router.get(
    '/history',
    asyncHandler(async (req, res) => {
      res.json(await service.listHistory(validate(historyQuery, req.query)));
    }),
  );

  router.use(explainUploadErrors);
  return router;
}

function acceptAudioOnly(_req: Request, file: Express.Multer.File, accept: FileFilterCallback): void {
  if (file.mimetype.startsWith('audio/')) accept(null, true);
  else accept(new HttpError(415, `Voice samples must be audio files; \`${file.originalname}\` is ${file.mimetype}.`));
}

// Multer words its errors its own way: give clients one clear message per limit.
const explainUploadErrors: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  if (!(error instanceof multer.MulterError)) return next(error);
  if (error.code === 'LIMIT_FILE_SIZE') return next(new HttpError(413, `Each voice sample must be at most ${MAX_SAMPLE_BYTES} bytes.`));
  if (error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE') {
    return next(new HttpError(400, `Send 1 to ${MAX_SAMPLES} audio samples, all in the field \`files\`.`));
  }
  next(new HttpError(400, `Invalid upload: ${error.message}.`, { field: error.field }));
};
