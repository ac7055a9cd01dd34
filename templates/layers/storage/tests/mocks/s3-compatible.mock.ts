import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readBody } from '../helpers/http.js';

/** An object as the mock stores it. */
export interface MockObject {
  body: Buffer;
  contentType: string;
  etag: string;
}

/** What the mock saw of one request. */
export interface MockRequest {
  method: string;
  /** As sent, e.g. `/test-bucket/reports/q1%20summary.pdf`. */
  path: string;
  /** Decoded object key ('' for bucket-level calls). */
  key: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

/** A multipart upload in progress. */
export interface MockUpload {
  key: string;
  contentType: string;
  parts: Map<number, MockObject>;
}

/**
 * An in-memory stand-in for the S3 REST API with path-style URLs (`/bucket/key`), as MinIO
 * and Cloudflare R2 serve it.
 */
export interface S3CompatibleMock {
  handler: RequestListener;
  objects: Map<string, MockObject>;
  uploads: Map<string, MockUpload>;
  requests: MockRequest[];
  /** When set, every request is refused with this S3 error, as S3 does for a bad key or a throttled account. */
  failure?: { status: number; code: string; message: string };
}

/** Which bucket the mock serves and which signatures it accepts. */
export interface S3CompatibleMockOptions {
  bucket: string;
  accessKeyId: string;
  /** The region requests must be signed for, e.g. `auto` for R2. */
  region: string;
}

/** Creates a mock that serves one bucket and accepts only requests signed with its access key id, for its region. */
export function createS3CompatibleMock(options: S3CompatibleMockOptions): S3CompatibleMock {
  const mock: S3CompatibleMock = {
    objects: new Map(),
    uploads: new Map(),
    requests: [],
    handler: (req, res) => {
      handle(mock, options, req, res).catch((error: unknown) => {
        sendError(res, 500, 'InternalError', error instanceof Error ? error.message : 'Mock failure.');
      });
    },
  };
  return mock;
}

async function handle(
  mock: S3CompatibleMock,
  { bucket, accessKeyId, region }: S3CompatibleMockOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://mock');
  const [, requestBucket = '', ...keyPath] = url.pathname.split('/');
  const key = decodeURIComponent(keyPath.join('/'));
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  mock.requests.push({ method, path: url.pathname, key, query: url.searchParams, headers: req.headers });

  const scope = credentialScope(req, url);
  if (scope?.accessKeyId !== accessKeyId) return sendError(res, 403, 'AccessDenied', 'Access Denied');
  if (scope.region !== region) {
    return sendError(
      res,
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${scope.region}' is wrong; expecting '${region}'`,
    );
  }
  if (mock.failure) return sendError(res, mock.failure.status, mock.failure.code, mock.failure.message);
  if (requestBucket !== bucket) return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');

  if (key === '') {
    if (method === 'HEAD') return sendEmpty(res, 200);
    return sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  const uploadId = url.searchParams.get('uploadId');
  if (method === 'POST' && url.searchParams.has('uploads')) return initiateUpload(mock, key, req, res);
  if (uploadId !== null) {
    const upload = mock.uploads.get(uploadId);
    if (!upload || upload.key !== key) return sendError(res, 404, 'NoSuchUpload', 'The specified upload does not exist.');
    if (method === 'PUT') return uploadPart(upload, Number(url.searchParams.get('partNumber')), body, res);
    if (method === 'POST') return completeUpload(mock, uploadId, upload, body, res);
    if (method === 'DELETE') {
      mock.uploads.delete(uploadId);
      return sendEmpty(res, 204);
    }
  }

  if (method === 'PUT') {
    const object = storedObject(body, req.headers['content-type'] ?? 'binary/octet-stream');
    mock.objects.set(key, object);
    return sendEmpty(res, 200, { ETag: object.etag });
  }
  if (method === 'GET' || method === 'HEAD') {
    const object = mock.objects.get(key);
    if (!object) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    const size = object.body.length;
    const range = requestedRange(req.headers.range, size);
    if (range === 'unsatisfiable') return sendError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
    const { start, end } = range ?? { start: 0, end: size - 1 };
    res.writeHead(range ? 206 : 200, {
      'Content-Type': url.searchParams.get('response-content-type') ?? object.contentType,
      'Content-Length': end - start + 1,
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
      'Accept-Ranges': 'bytes',
      ETag: object.etag,
    });
    res.end(method === 'GET' ? object.body.subarray(start, end + 1) : undefined);
    return;
  }
  if (method === 'DELETE') {
    mock.objects.delete(key);
    return sendEmpty(res, 204);
  }
  sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

// Signatures are not verified, but every call must be SigV4-signed (header or presigned query):
// its credential scope `<key id>/<date>/<region>/s3/aws4_request` names the key id and region.
function credentialScope(req: IncomingMessage, url: URL): { accessKeyId: string; region: string } | undefined {
  const [accessKeyId, , region] = signedCredential(req, url)?.split('/') ?? [];
  return accessKeyId !== undefined && region !== undefined ? { accessKeyId, region } : undefined;
}

function signedCredential(req: IncomingMessage, url: URL): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return /^AWS4-HMAC-SHA256 Credential=([^,]+)/.exec(authorization)?.[1];
  if (!url.searchParams.has('X-Amz-Signature')) return undefined;
  return url.searchParams.get('X-Amz-Credential') ?? undefined;
}

/**
 * The bytes a `Range` header asks for, as S3 reads it: one range, its end clamped to the object;
 * a header it cannot parse, or one with several ranges, is ignored (undefined: the whole object);
 * a range that starts past the end, or an empty suffix, cannot be satisfied.
 */
function requestedRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return undefined;
    const suffixLength = Number(last);
    return suffixLength === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffixLength), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

function initiateUpload(mock: S3CompatibleMock, key: string, req: IncomingMessage, res: ServerResponse): void {
  const uploadId = randomUUID();
  mock.uploads.set(uploadId, { key, contentType: req.headers['content-type'] ?? 'binary/octet-stream', parts: new Map() });
  sendXml(
    res,
    200,
    `<InitiateMultipartUploadResult><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
  );
}

function uploadPart(upload: MockUpload, partNumber: number, body: Buffer, res: ServerResponse): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
    sendError(res, 400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
    return;
  }
  const part = storedObject(body, upload.contentType);
  upload.parts.set(partNumber, part);
  sendEmpty(res, 200, { ETag: part.etag });
}

function completeUpload(mock: S3CompatibleMock, uploadId: string, upload: MockUpload, body: Buffer, res: ServerResponse): void {
  const listed = [...body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map(([, part = '']) => ({
    partNumber: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(part)?.[1]),
    etag: /<ETag>(.*?)<\/ETag>/.exec(part)?.[1]?.replaceAll('&quot;', '"'),
  }));
  if (listed.length === 0) {
    sendError(res, 400, 'MalformedXML', 'The XML you provided was not well-formed.');
    return;
  }

  const parts: MockObject[] = [];
  let previousNumber = 0;
  for (const { partNumber, etag } of listed) {
    if (partNumber <= previousNumber) {
      sendError(res, 400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
      return;
    }
    previousNumber = partNumber;
    const part = upload.parts.get(partNumber);
    if (!part || part.etag !== etag) {
      sendError(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.');
      return;
    }
    parts.push(part);
  }
  const digests = Buffer.concat(parts.map((part) => createHash('md5').update(part.body).digest()));
  const etag = `"${createHash('md5').update(digests).digest('hex')}-${parts.length}"`;
  mock.objects.set(upload.key, { body: Buffer.concat(parts.map((part) => part.body)), contentType: upload.contentType, etag });
  mock.uploads.delete(uploadId);
  sendXml(
    res,
    200,
    `<CompleteMultipartUploadResult><Key>${escapeXml(upload.key)}</Key><ETag>${escapeXml(etag)}</ETag></CompleteMultipartUploadResult>`,
  );
}

function storedObject(body: Buffer, contentType: string): MockObject {
  return { body, contentType, etag: `"${createHash('md5').update(body).digest('hex')}"` };
}

function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers).end();
}

function sendXml(res: ServerResponse, status: number, xml: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

// HEAD answers carry no body, so there the SDK only sees the status, as with real S3.
function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  if (res.req.method === 'HEAD') {
    sendEmpty(res, status);
    return;
  }
  sendXml(res, status, `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>mock-request</RequestId></Error>`);
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
