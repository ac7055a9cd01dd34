import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { HttpError, providerError } from '../lib/errors.js';
import { loadOnce } from '../lib/load-once.js';
import { formatRangeHeader, parseContentRange } from './byte-range.js';
import type { ByteRange, StorageProvider } from './storage-provider.js';
import { RangeNotSatisfiableError } from './storage-provider.js';

/** How to reach one bucket of an S3-compatible service; each storage plugin fills it from its env. */
export interface S3CompatibleOptions {
  /** Plugin id, as in `getInfo()`. */
  id: string;
  /** Display name, used in error messages. */
  name: string;
  bucket: string;
  region: string;
  /** Base URL of the service; absent for Amazon S3 itself. */
  endpoint?: string;
  /** Bucket in the path (`endpoint/bucket/key`) instead of a subdomain (`bucket.endpoint/key`). */
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Largest file (or multipart part) the storage routes accept in one request. */
  maxUploadBytes: number;
  /** Longest lifetime the storage routes give a presigned URL. */
  maxPresignSeconds: number;
  /** Retries of a call that was throttled, failed with 5xx or found no connection, with back-off. */
  maxRetries: number;
}

/** The shared storage interface on any bucket the S3 API reaches: Amazon S3, Cloudflare R2, MinIO. */
export function createS3CompatibleStorage(options: S3CompatibleOptions): StorageProvider {
  const { id, name, bucket, maxUploadBytes, maxPresignSeconds } = options;
  // The SDK is imported on the first call, not at start-up; its commands come with the client.
  const loadSdk = loadOnce(async () => {
    const sdk = await import('@aws-sdk/client-s3');
    return { sdk, client: createClient(sdk, options) };
  });
  const call = <T>(operation: (loaded: LoadedSdk) => Promise<T>) => callProvider(name, async () => operation(await loadSdk()));

  async function getObject({ sdk, client }: LoadedSdk, key: string, range: ByteRange | undefined) {
    const { GetObjectCommand, HeadObjectCommand, S3ServiceException } = sdk;
    try {
      return await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range && formatRangeHeader(range) }));
    } catch (error) {
      // The client's 416 must name the object's size, which the SDK's typed InvalidRange error does not
      // declare: a HEAD asks for it, on this rare path only.
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        throw new RangeNotSatisfiableError(head.ContentLength ?? 0);
      }
      throw error;
    }
  }

  return {
    getInfo: () => ({ id, name, bucket, maxUploadBytes, maxPresignSeconds }),

    put: (key, body, contentType) =>
      call(async ({ sdk, client }) => {
        const output = await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
        return { key, size: body.length, etag: output.ETag };
      }),

    get: (key, range) =>
      call(async (loaded) => {
        const output = await getObject(loaded, key, range);
        // The union type also covers browser streams; in Node.js the SDK always answers with a Readable.
        if (!(output.Body instanceof Readable)) throw new HttpError(502, `${name} sent no readable body.`);
        return {
          body: output.Body,
          contentType: output.ContentType,
          contentLength: output.ContentLength,
          etag: output.ETag,
          range: parseContentRange(output.ContentRange),
        };
      }),

    delete: (key) =>
      call(async ({ sdk, client }) => {
        await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }),

    presignedUrl: (key, operation, expiresIn, contentType) =>
      call(async ({ sdk, client }) => {
        const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
        if (operation === 'get') {
          return getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentType: contentType }), {
            expiresIn,
          });
        }
        // Signing Content-Type makes the service refuse uploads that claim another type.
        const signableHeaders = contentType ? new Set(['content-type']) : undefined;
        return getSignedUrl(client, new sdk.PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
          expiresIn,
          signableHeaders,
        });
      }),

    createMultipartUpload: (key, contentType) =>
      call(async ({ sdk, client }) => {
        const output = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType }));
        if (!output.UploadId) throw new HttpError(502, `${name} did not return an upload id.`);
        return output.UploadId;
      }),

    uploadPart: (key, uploadId, partNumber, body) =>
      call(async ({ sdk, client }) => {
        const output = await client.send(
          new sdk.UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body }),
        );
        if (!output.ETag) throw new HttpError(502, `${name} did not return the part's ETag.`);
        return output.ETag;
      }),

    completeMultipartUpload: (key, uploadId, parts) =>
      call(async ({ sdk, client }) => {
        // The S3 API wants the parts in ascending order; clients uploading in parallel may not send them so.
        const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
        const output = await client.send(
          new sdk.CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: sorted.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag })) },
          }),
        );
        return { etag: output.ETag };
      }),

    abortMultipartUpload: (key, uploadId) =>
      call(async ({ sdk, client }) => {
        await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      }),

    checkBucket: async (signal) => {
      const { sdk, client } = await loadSdk();
      try {
        await client.send(new sdk.HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
      } catch (error) {
        // HEAD answers have no body, so the status is all the service says about a missing bucket.
        if (error instanceof sdk.S3ServiceException && error.$metadata.httpStatusCode === 404) {
          throw new HttpError(404, `${name} has no bucket named ${bucket}.`);
        }
        throw mapSdkError(sdk, name, error);
      }
    },
  };
}

type S3Sdk = typeof import('@aws-sdk/client-s3');

/** The SDK's module, for its commands and error class, and the client built with it. */
interface LoadedSdk {
  sdk: S3Sdk;
  client: S3Client;
}

function createClient({ S3Client }: S3Sdk, { region, endpoint, forcePathStyle, credentials, maxRetries }: S3CompatibleOptions): S3Client {
  return new S3Client({
    region,
    credentials,
    forcePathStyle,
    // The SDK counts the first attempt too.
    maxAttempts: maxRetries + 1,
    // By default the SDK signs the CRC32 of an empty body into presigned PUT URLs, so real
    // uploads through them fail the check.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // Services other than Amazon S3 may not send the checksums the SDK would verify.
    ...(endpoint ? { endpoint, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
  });
}

// One place where SDK failures become HTTP errors; the SDK's messages never contain the secret key.
async function callProvider<T>(name: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    // Any SDK error comes after the SDK was loaded, so importing it here costs nothing.
    throw mapSdkError(await import('@aws-sdk/client-s3'), name, error);
  }
}

function mapSdkError({ S3ServiceException }: S3Sdk, name: string, error: unknown): unknown {
  if (error instanceof S3ServiceException) {
    const message = error.name === 'NoSuchKey' ? 'No object has this key.' : error.message;
    return providerError(name, error.$metadata.httpStatusCode, message);
  }
  // The SDK tags its own failures with $metadata: here no answer came (refused connection, DNS, timeout).
  if (error instanceof Error && '$metadata' in error) return providerError(name, undefined);
  return error;
}
