import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Router } from 'express';
import multer from 'multer';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { validate } from '../../lib/validate.js';
import { transcribeFields } from './deepgram.schema.js';
import type { DeepgramService } from './deepgram.service.js';

/** What the router needs besides the service. */
export interface DeepgramRouterOptions {
  rateLimit: RequestHandler;
  /** Largest audio upload in bytes; larger ones get 413. */
  maxUploadBytes: number;
}

/**
 * The plugin's HTTP API, mounted at /api/voice/deepgram; every route is rate limited. Uploads
 * are held in memory while they are sent on, so keep the upload limit modest.
 */
export function createDeepgramRouter(service: DeepgramService, { rateLimit, maxUploadBytes }: DeepgramRouterOptions): Router {
  const router = Router();
  router.use(rateLimit);
  const receiveAudio = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxUploadBytes, files: 1 },
    // Deepgram decodes any audio or video container; anything else is refused before it is read.
    fileFilter: (_req, file, accept) => {
      if (/^(audio|video)\//.test(file.mimetype)) accept(null, true);
      else accept(new HttpError(415, `Expected an audio or video file, got ${file.mimetype.slice(0, 100)}.`));
    },
  }).single('audio');

  router.post(
    '/transcribe',
    receiveAudio,
    asyncHandler(async (req, res) => {
      const { file } = req;
      if (!file) throw new HttpError(400, 'Send the audio as multipart/form-data in the field `audio`.');
      const { model, language, smart_format } = validate(transcribeFields, req.body);
      res.json(await service.transcribe(file.buffer, file.mimetype, { model, language, smartFormat: smart_format !== 'false' }));
    }),
  );

  router.get(
    '/models',
    asyncHandler(async (_req, res) => {
      res.json({ models: await service.listModels() });
    }),
  );

  router.use(explainUploadErrors(maxUploadBytes));
  return router;
}

// Multer words its errors its own way: give clients one clear message.
function explainUploadErrors(maxUploadBytes: number): ErrorRequestHandler {
  return (error: unknown, _req, _res, next) => {
    if (!(error instanceof multer.MulterError)) next(error);
    else if (error.code === 'LIMIT_FILE_SIZE') next(new HttpError(413, `The audio is larger than the limit of ${maxUploadBytes} bytes.`));
    else next(new HttpError(400, `Invalid upload: ${error.message}.`, { field: error.field }));
  };
}
