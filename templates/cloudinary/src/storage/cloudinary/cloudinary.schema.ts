import * as z from 'zod';

const TEN_MIB = 10 * 1024 * 1024;
// Cloudinary's own limit on public ids (folders included).
const MAX_PUBLIC_ID_LENGTH = 255;
const MAX_DIMENSION = 10_000;

/** The plugin's environment variables; the cloud name and the API key pair are required. */
export const cloudinaryEnv = z.object({
  CLOUDINARY_CLOUD_NAME: z.string().min(1),
  CLOUDINARY_API_KEY: z.string().min(1),
  CLOUDINARY_API_SECRET: z.string().min(1),
  CLOUDINARY_UPLOAD_PREFIX: z.string().url('must be a URL such as https://api.cloudinary.com').optional(),
  CLOUDINARY_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int('must be a whole number of bytes')
    .positive('must be a positive number of bytes')
    .default(TEN_MIB),
});

/** Validated settings of the Cloudinary plugin. */
export type CloudinaryConfig = z.infer<typeof cloudinaryEnv>;

/** The kinds of asset the routes handle; Cloudinary keeps each kind in its own namespace of public ids. */
export const resourceTypes = ['image', 'video'] as const;

export type ResourceType = (typeof resourceTypes)[number];

// Slash-separated like a path, so `users/42/avatar` is an id inside the folder `users/42`.
const assetPath = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PUBLIC_ID_LENGTH, `must be at most ${MAX_PUBLIC_ID_LENGTH} characters`)
  .refine((path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), {
    message: "must not start or end with '/', nor contain empty, '.' or '..' segments",
  })
  .refine((path) => !/[?&#%\\<>]/.test(path), { message: 'must not contain ? & # % \\ < or >' });

/** Text fields of `POST /upload` (the file travels in the field `file`). */
export const uploadFields = z.object({
  folder: assetPath.optional(),
  publicId: assetPath.optional(),
});

/** Params of the routes on one asset: its public id, slashes included. */
export const assetParams = z.object({ id: assetPath });

const dimension = z.coerce.number().int('must be a whole number of pixels').min(1).max(MAX_DIMENSION);

/** Query of `GET /:id/transform`. Without a format or quality Cloudinary picks the best for each browser. */
export const transformQuery = z
  .object({
    width: dimension.optional(),
    height: dimension.optional(),
    crop: z.enum(['fill', 'fit', 'scale', 'thumb']).optional(),
    format: z.enum(['auto', 'webp', 'avif', 'jpg', 'png']).default('auto'),
    quality: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(100)]).default('auto'),
    resourceType: z.enum(resourceTypes).default('image'),
  })
  .refine((query) => query.crop === undefined || query.width !== undefined || query.height !== undefined, {
    message: 'needs a width or a height',
    path: ['crop'],
  });

export type Transformation = z.infer<typeof transformQuery>;

/** Query of `DELETE /:id`. */
export const deleteQuery = z.object({ resourceType: z.enum(resourceTypes).default('image') });

/** What `POST /upload` answers. */
export interface UploadedAsset {
  /** The public id, for the transform and delete routes. */
  id: string;
  /** HTTPS delivery URL of the original. */
  url: string;
  bytes: number;
  format: string;
  width?: number;
  height?: number;
  resourceType: string;
}
