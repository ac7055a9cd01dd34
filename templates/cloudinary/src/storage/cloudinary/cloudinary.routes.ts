import type { ErrorRequestHandler, Request } from 'express';
import { Router } from 'express';
import type { FileFilterCallback } from 'multer';
import multer from 'multer';
import { asyncHandler } from '../../lib/async-handler.js';
import { HttpError } from '../../lib/errors.js';
import { validate } from '../../lib/validate.js';
import type { CloudinaryConfig } from './cloudinary.schema.js';
import { assetParams, deleteQuery, transformQuery, uploadFields } from './cloudinary.schema.js';
import type { CloudinaryService } from './cloudinary.service.js';

/**
 * The plugin's HTTP API, mounted at /api/media. Uploads are held in memory while they are sent
 * on, so keep CLOUDINARY_MAX_UPLOAD_BYTES modest.
 */
export function createCloudinaryRouter(service: CloudinaryService, config: CloudinaryConfig): Router {
  const router = Router();
  const maxUploadBytes = config.CLOUDINARY_MAX_UPLOAD_BYTES;
  const receiveFile = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxUploadBytes, files: 1 },
    fileFilter: acceptImagesAndVideos,
  }).single('file');

  router.post(
    '/upload',
    receiveFile,
    asyncHandler(async (req, res) => {
      const { file } = req;
      if (!file) throw new HttpError(400, 'Send the image or video as multipart/form-data in the field `file`.');
      const { folder, publicId } = validate(uploadFields, req.body);
      const resourceType = file.mimetype.startsWith('video/') ? 'video' : 'image';
      res.status(201).json(await service.upload(file.buffer, { resourceType, folder, publicId }));
    }),
  );

  // The id spans slashes: public ids such as `users/42/avatar` live in folders. Regular expressions
  // rather than `/*id` wildcards, which only Express 5 understands; the match is `req.params[0]`.
  router.get(
    /^\/(.+)\/transform$/,
    asyncHandler(async (req, res) => {
      const { id } = validate(assetParams, { id: req.params[0] });
      res.json({ url: await service.transformUrl(id, validate(transformQuery, req.query)) });
    }),
  );

  router.delete(
    /^\/(.+)$/,
    asyncHandler(async (req, res) => {
      const { id } = validate(assetParams, { id: req.params[0] });
      const { resourceType } = validate(deleteQuery, req.query);
      await service.destroy(id, resourceType);
      res.status(204).end();
    }),
  );

  router.use(explainUploadErrors(maxUploadBytes));
  return router;
}

function acceptImagesAndVideos(_req: Request, file: Express.Multer.File, accept: FileFilterCallback): void {
  if (file.mimetype.startsWith('image/') || file.mimetype.startsWith('video/')) accept(null, true);
  else accept(new HttpError(415, `Only images and videos can be uploaded; \`${file.originalname}\` is ${file.mimetype}.`));
}

// Multer words its errors its own way: give clients one clear message.
function explainUploadErrors(maxUploadBytes: number): ErrorRequestHandler {
  return (error: unknown, _req, _res, next) => {
    if (!(error instanceof multer.MulterError)) return next(error);
    if (error.code === 'LIMIT_FILE_SIZE')
      return next(new HttpError(413, `The upload is larger than the limit of ${maxUploadBytes} bytes.`));
    next(new HttpError(400, `Invalid upload: ${error.message}.`, { field: error.field }));
  };
}
