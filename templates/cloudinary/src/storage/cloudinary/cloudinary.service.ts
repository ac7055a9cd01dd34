import type { UploadApiOptions, UploadApiResponse } from 'cloudinary';
import { HttpError, providerError } from '../../lib/errors.js';
import { loadOnce } from '../../lib/load-once.js';
import type { CloudinaryConfig, ResourceType, Transformation, UploadedAsset } from './cloudinary.schema.js';

const PROVIDER = 'Cloudinary';

/** Where an upload goes; without a public id Cloudinary makes a random one. */
export interface UploadTarget {
  resourceType: ResourceType;
  folder?: string;
  publicId?: string;
}

/** The Cloudinary calls the routes make; failures come out as `HttpError`s. */
export interface CloudinaryService {
  upload(file: Buffer, target: UploadTarget): Promise<UploadedAsset>;
  /** Builds a delivery URL; Cloudinary renders the transformation on first request, so no call is made here. */
  transformUrl(publicId: string, transformation: Transformation): Promise<string>;
  /** Throws a 404 `HttpError` when there is no such asset. */
  destroy(publicId: string, resourceType: ResourceType): Promise<void>;
  /** A cheap authenticated call (the Admin API's ping). */
  ping(signal: AbortSignal): Promise<void>;
}

type Cloudinary = typeof import('cloudinary').v2;

// The SDK is imported on the first call, not at start-up.
const loadCloudinary = loadOnce(async (): Promise<Cloudinary> => (await import('cloudinary')).v2);

/**
 * Wraps the SDK's v2 API. Credentials go with every call instead of into `cloudinary.config()`,
 * which is one global for the whole process.
 */
export function createCloudinaryService(config: CloudinaryConfig): CloudinaryService {
  const uploadPrefix = config.CLOUDINARY_UPLOAD_PREFIX;
  // Built on the first call, like the SDK: node:http, imported as an ES module, brings Node's fetch
  // implementation with it, which start-up need not pay for (src/app.ts).
  const loadAccount = loadOnce(async () => ({
    cloud_name: config.CLOUDINARY_CLOUD_NAME,
    api_key: config.CLOUDINARY_API_KEY,
    api_secret: config.CLOUDINARY_API_SECRET,
    upload_prefix: uploadPrefix,
    // The SDK picks node:https or node:http once, when first imported, from CLOUDINARY_URL; node:https takes
    // an http: URL only from a request that brings an http agent. So a plain-http prefix (a local proxy)
    // works however the SDK was loaded, and https prefixes keep the SDK's default agent.
    agent: uploadPrefix?.startsWith('http:') ? new (await import('node:http')).Agent() : undefined,
  }));
  const secrets = [config.CLOUDINARY_API_KEY, config.CLOUDINARY_API_SECRET];

  async function call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toProviderError(error, secrets);
    }
  }

  return {
    upload: (file, { resourceType, folder, publicId }) =>
      call(async () => {
        const asset = await uploadBuffer(await loadCloudinary(), file, {
          ...(await loadAccount()),
          resource_type: resourceType,
          folder,
          public_id: publicId,
        });
        return {
          id: asset.public_id,
          url: asset.secure_url,
          bytes: asset.bytes,
          format: asset.format,
          ...(typeof asset.width === 'number' && { width: asset.width }),
          ...(typeof asset.height === 'number' && { height: asset.height }),
          resourceType: asset.resource_type,
        };
      }),

    transformUrl: async (publicId, { width, height, crop, format, quality, resourceType }) =>
      (await loadCloudinary()).url(publicId, {
        cloud_name: config.CLOUDINARY_CLOUD_NAME,
        resource_type: resourceType,
        secure: true,
        // Without this the SDK appends an `_a=` analytics parameter to every URL.
        urlAnalytics: false,
        width,
        height,
        crop,
        fetch_format: format,
        quality,
      }),

    destroy: (publicId, resourceType) =>
      call(async () => {
        // invalidate: CDN copies of the asset stop being served too.
        const cloudinary = await loadCloudinary();
        const response: { result?: unknown } = await cloudinary.uploader.destroy(publicId, {
          ...(await loadAccount()),
          resource_type: resourceType,
          invalidate: true,
        });
        const { result } = response;
        if (result === 'not found') throw new HttpError(404, `${PROVIDER} has no ${resourceType} with the public id ${publicId}.`);
        if (result !== 'ok') throw new HttpError(502, `${PROVIDER} did not confirm the deletion.`);
      }),

    ping: (signal) =>
      call(async () => {
        // The SDK takes no abort signal: stop waiting instead.
        const aborted = new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => reject(providerError(PROVIDER, undefined)), { once: true });
        });
        const cloudinary = await loadCloudinary();
        await Promise.race([cloudinary.api.ping(await loadAccount()), aborted]);
      }),
  };
}

function uploadBuffer(cloudinary: Cloudinary, file: Buffer, options: UploadApiOptions): Promise<UploadApiResponse> {
  return new Promise((resolve, reject) => {
    cloudinary.uploader
      .upload_stream(options, (error, result) => {
        if (result) resolve(result);
        else reject(error ?? new Error(`${PROVIDER} sent no upload result.`));
      })
      .end(file);
  });
}

/**
 * Cloudinary rejects with plain objects, not Errors: `{ message, http_code }` from the upload API,
 * `{ error: { message, http_code } }` from the Admin API; connection failures are Node.js errors.
 */
function toProviderError(error: unknown, secrets: string[]): unknown {
  if (error instanceof HttpError) return error;
  // upload_stream hands connection failures over as they are; the promise-based calls wrap them in { error }.
  if (isNetworkError(error) || (isRecord(error) && isNetworkError(error['error']))) return providerError(PROVIDER, undefined);
  const failure = readFailure(error);
  if (!failure) return error;
  // Some messages quote the API key (e.g. "Invalid api_key 1234"): blank the credentials out of any of them
  // (split and join rather than replaceAll, which needs the ES2021 lib).
  const message = secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), failure.message ?? '');
  return providerError(PROVIDER, httpStatus(failure.status), message || undefined);
}

function readFailure(error: unknown): { status: number; message?: string } | undefined {
  if (!isRecord(error)) return undefined;
  const failure = isRecord(error['error']) ? error['error'] : error;
  const status = failure['http_code'];
  if (typeof status !== 'number') return undefined;
  const message = failure['message'];
  return { status, message: typeof message === 'string' ? message : undefined };
}

// Cloudinary answers 420 when an account exceeds its rate limit; the SDK reports its own timeouts as 499.
function httpStatus(cloudinaryStatus: number): number | undefined {
  if (cloudinaryStatus === 420) return 429;
  if (cloudinaryStatus === 499) return undefined;
  return cloudinaryStatus;
}

// Network failures carry an errno-style code (ECONNREFUSED, ENOTFOUND, ECONNRESET ...); Node's own ERR_* codes are bugs.
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
