import { createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { readBody } from '../helpers/http.js';

/** The account the mock accepts. */
export interface CloudinaryAccount {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
}

/** An asset as the mock stores it. */
export interface MockAsset {
  resourceType: string;
  bytes: Buffer;
}

/** What the mock saw of one request. */
export interface MockRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The multipart fields of upload API calls (the file excluded). */
  fields: Record<string, string>;
  file?: Buffer;
}

/** An in-memory stand-in for Cloudinary's upload API (upload, destroy) and the Admin API's ping. */
export interface CloudinaryMock {
  handler: RequestListener;
  /** By `<resource type>/<public id>`. */
  assets: Map<string, MockAsset>;
  requests: MockRequest[];
  /** When set, every request is refused with this status and message, as Cloudinary does. */
  failure?: { status: number; message: string };
}

// Parameters the upload API leaves out of the signature.
const UNSIGNED_PARAMS = new Set(['file', 'api_key', 'resource_type', 'cloud_name', 'signature']);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Creates a mock that serves one cloud and checks every signature with the account's secret. */
export function createCloudinaryMock(account: CloudinaryAccount): CloudinaryMock {
  const mock: CloudinaryMock = {
    assets: new Map(),
    requests: [],
    handler: (req, res) => {
      handle(mock, account, req, res).catch((error: unknown) =>
        sendError(res, 500, error instanceof Error ? error.message : 'Mock failure.'),
      );
    },
  };
  return mock;
}

async function handle(mock: CloudinaryMock, account: CloudinaryAccount, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://mock').pathname;
  const body = await readBody(req);
  const { fields, file } = await parseForm(req.headers['content-type'], body);
  mock.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, fields, file });

  const route = `${req.method} ${path}`;
  if (route === `GET /v1_1/${account.cloudName}/ping`) {
    const expected = `Basic ${Buffer.from(`${account.apiKey}:${account.apiSecret}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return sendError(res, 401, 'Invalid credentials');
    if (mock.failure) return sendError(res, mock.failure.status, mock.failure.message);
    return sendJson(res, 200, { status: 'ok' });
  }

  const action = new RegExp(`^POST /v1_1/${account.cloudName}/(image|video)/(upload|destroy)$`).exec(route);
  if (!action) return sendError(res, 404, `Unknown request ${route}`);
  // The real API quotes the key it did not know, so the plugin must not pass its messages on blindly.
  if (fields['api_key'] !== account.apiKey) return sendError(res, 401, `Invalid api_key ${fields['api_key'] ?? ''}`);
  if (!fields['timestamp']) return sendError(res, 400, 'Missing required parameter - timestamp');
  const signature = sign(fields, account.apiSecret);
  if (fields['signature'] !== signature)
    return sendError(res, 401, `Invalid Signature ${fields['signature'] ?? ''}. String to sign - '${stringToSign(fields)}'.`);
  if (mock.failure) return sendError(res, mock.failure.status, mock.failure.message);

  const [, resourceType = 'image', operation] = action;
  if (operation === 'destroy') {
    const key = `${resourceType}/${fields['public_id'] ?? ''}`;
    return sendJson(res, 200, { result: mock.assets.delete(key) ? 'ok' : 'not found' });
  }
  if (!file) return sendError(res, 400, 'Missing required parameter - file');
  return upload(mock, account, resourceType, fields, file, res);
}

function upload(
  mock: CloudinaryMock,
  account: CloudinaryAccount,
  resourceType: string,
  fields: Record<string, string>,
  file: Buffer,
  res: ServerResponse,
): void {
  const media = resourceType === 'image' ? describePng(file) : { format: 'mp4', width: 1280, height: 720 };
  if (!media) {
    sendError(res, 400, 'Invalid image file');
    return;
  }
  const name = fields['public_id'] ?? randomBytes(10).toString('hex');
  const publicId = fields['folder'] ? `${fields['folder']}/${name}` : name;
  mock.assets.set(`${resourceType}/${publicId}`, { resourceType, bytes: file });
  const version = 1767225600;
  const path = `${account.cloudName}/${resourceType}/upload/v${version}/${publicId}.${media.format}`;
  sendJson(res, 200, {
    asset_id: randomBytes(16).toString('hex'),
    public_id: publicId,
    version,
    version_id: randomBytes(16).toString('hex'),
    signature: randomBytes(20).toString('hex'),
    ...media,
    resource_type: resourceType,
    created_at: '2026-01-01T00:00:00Z',
    tags: [],
    bytes: file.length,
    type: 'upload',
    etag: createHash('md5').update(file).digest('hex'),
    placeholder: false,
    url: `http://res.cloudinary.com/${path}`,
    secure_url: `https://res.cloudinary.com/${path}`,
    asset_folder: fields['folder'] ?? '',
    display_name: name,
    original_filename: 'file',
    api_key: account.apiKey,
  });
}

/** The width and height in a PNG's IHDR chunk; undefined for anything that is not a PNG. */
function describePng(file: Buffer): { format: string; width: number; height: number } | undefined {
  if (file.length < 24 || !file.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  return { format: 'png', width: file.readUInt32BE(16), height: file.readUInt32BE(20) };
}

function stringToSign(fields: Record<string, string>): string {
  return Object.entries(fields)
    .filter(([name, value]) => !UNSIGNED_PARAMS.has(name) && value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`.replaceAll('&', '%26'))
    .join('&');
}

function sign(fields: Record<string, string>, apiSecret: string): string {
  return createHash('sha1')
    .update(stringToSign(fields) + apiSecret)
    .digest('hex');
}

async function parseForm(contentType: string | undefined, body: Buffer): Promise<{ fields: Record<string, string>; file?: Buffer }> {
  const fields: Record<string, string> = {};
  if (!contentType?.startsWith('multipart/form-data')) return { fields };
  const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData();
  let file: Buffer | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else if (name === 'file') file = Buffer.from(await value.arrayBuffer());
  }
  return { fields, file };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { message } });
}
