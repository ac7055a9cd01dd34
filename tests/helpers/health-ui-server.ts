// Runs a generated all-plugins project against its own provider mocks, for the health page tests.
// Started with the project's own tsx, so that its TypeScript loads as it does in its tests:
//
//   <project>/node_modules/.bin/tsx tests/helpers/health-ui-server.ts <project>
//
// Starts each mock the plugins ship in tests/mocks/, then the app with every plugin of its
// src/plugins.ts (in this process, through the project's tests/helpers/http.ts), each provider
// pointed at its mock by its base-URL variable. The app is started as anonymous: the test helper's default would add an admin's
// Authorization header to every request, so the page would work without its token field.
// Prints one JSON line (DemoServer) and runs until stdin closes or a signal arrives.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the driver prints once everything listens. */
export interface DemoServer {
  /** The app, e.g. http://127.0.0.1:PORT; the page is at `${url}/health/ui`. */
  url: string;
  /** An admin token of the app's jwt-service: what the page's Access token field takes. */
  token: string;
  /** The provider key stored through POST /api/keys: the page must only ever show it masked. */
  storedKey: string;
  /** Every credential the app was given: none may ever reach the page. */
  secrets: string[];
}

interface Server {
  url: string;
  close(): Promise<void>;
}

// The slice of each project module the driver uses; the project's own tests type them fully.
interface HttpHelpers {
  startApp(env: Record<string, string>, options: { plugins: unknown[]; as: 'anonymous' }): Promise<Server>;
  startMock(handler: RequestListener): Promise<Server>;
  readBody(req: IncomingMessage): Promise<Buffer>;
}
type ApiMock = Server & { baseURL: string };
interface Mocks {
  openaiCompatible: {
    startOpenAICompatibleMock(options: { apiKey?: string; basePath?: string; routes?: Record<string, unknown> }): Promise<ApiMock>;
  };
  claude: { startClaudeMock(apiKey: string): Promise<Server> };
  gemini: { startGeminiMock(apiKey: string): Promise<Server> };
  ollama: { startOllamaMock(): Promise<Server> };
  deepgram: { startDeepgramMock(apiKey: string): Promise<Server> };
  elevenlabs: { createElevenLabsMock(apiKey: string): { handler: RequestListener } };
  s3Compatible: { createS3CompatibleMock(options: { bucket: string; accessKeyId: string; region: string }): { handler: RequestListener } };
  cloudinary: { createCloudinaryMock(account: { cloudName: string; apiKey: string; apiSecret: string }): { handler: RequestListener } };
  stripe: { startStripeMock(secretKey: string): Promise<Server> };
  paypal: { startPayPalMock(clientId: string, clientSecret: string): Promise<Server> };
  sendgrid: { startSendGridMock(apiKey: string, verifiedSenders: string[]): Promise<Server> };
  mailgun: { startMailgunMock(apiKey: string, domain: string): Promise<Server> };
  google: { startGoogleMock(client: { id: string; secret: string; redirectUri: string }): Promise<Server> };
  jwt: { createJwtService(config: { JWT_SECRET: string }): { signToken(claims: { sub: string; roles: string[] }): string } };
}

const project = path.resolve(process.argv[2] ?? '.');

function load<Module>(file: string): Promise<Module> {
  return import(pathToFileURL(path.join(project, file)).href) as Promise<Module>;
}

const [http, { plugins }, mocks] = await Promise.all([
  load<HttpHelpers>('tests/helpers/http.ts'),
  load<{ plugins: unknown[] }>('src/plugins.ts'),
  (async (): Promise<Mocks> => ({
    openaiCompatible: await load('tests/mocks/openai-compatible.mock.ts'),
    claude: await load('tests/mocks/claude.mock.ts'),
    gemini: await load('tests/mocks/gemini.mock.ts'),
    ollama: await load('tests/mocks/ollama.mock.ts'),
    deepgram: await load('tests/mocks/deepgram.mock.ts'),
    elevenlabs: await load('tests/mocks/elevenlabs.mock.ts'),
    s3Compatible: await load('tests/mocks/s3-compatible.mock.ts'),
    cloudinary: await load('tests/mocks/cloudinary.mock.ts'),
    stripe: await load('tests/mocks/stripe.mock.ts'),
    paypal: await load('tests/mocks/paypal.mock.ts'),
    sendgrid: await load('tests/mocks/sendgrid.mock.ts'),
    mailgun: await load('tests/mocks/mailgun.mock.ts'),
    google: await load('tests/mocks/google-auth.mock.ts'),
    jwt: await load('src/auth/jwt-service/jwt-service.service.ts'),
  }))(),
]);

const secrets = {
  openai: 'sk-mock-openai-0123456789',
  anthropic: 'sk-ant-mock-0123456789',
  gemini: 'AIza-mock-gemini-0123456789',
  xai: 'xai-mock-0123456789',
  openrouter: 'sk-or-mock-0123456789',
  deepgram: 'mock-deepgram-key-0123456789',
  elevenlabs: 'sk_mock_elevenlabs_0123456789',
  s3: 'mock-s3-secret-access-key',
  r2: 'mock-r2-secret-access-key',
  cloudinary: 'mock-cloudinary-api-secret',
  stripe: 'sk_test_mock_0123456789abcdef',
  stripePublishable: 'pk_test_mock_0123456789abcdef',
  stripeWebhook: 'whsec_mock_0123456789abcdef',
  paypal: { id: 'AaMockClientId0123456789', secret: 'EEmockClientSecret-0123456789' },
  sendgrid: 'SG.mock-key-0123456789abcdef',
  mailgun: 'mock-mailgun-key-0123456789abcdef',
  google: { id: '1234-mock.apps.googleusercontent.com', secret: 'GOCSPX-mock-client-secret' },
  jwt: 'a-health-page-test-secret-of-32-characters-or-more',
};
const sender = 'hello@example.com';
const mailgunDomain = 'mg.example.com';
const callbackUrl = 'http://localhost:3000/auth/google/callback';
const cloudinaryAccount = { cloudName: 'demo-cloud', apiKey: '614335564976464', apiSecret: secrets.cloudinary };

// What OpenRouter's GET /key answers; its live check reads it.
const openrouterKey = {
  data: {
    label: 'sk-or-v1-mock',
    limit: 25,
    limit_remaining: 17.5,
    limit_reset: 'weekly',
    include_byok_in_limit: false,
    usage: 7.5,
    usage_daily: 0.25,
    usage_weekly: 7.5,
    usage_monthly: 7.5,
    byok_usage: 0,
    is_free_tier: false,
  },
};

const servers: Server[] = [];
async function started<T extends Server>(server: Promise<T>): Promise<T> {
  const running = await server;
  servers.push(running);
  return running;
}

const elevenlabs = await started(http.startMock(mocks.elevenlabs.createElevenLabsMock(secrets.elevenlabs).handler));
const [
  openai,
  claude,
  gemini,
  grok,
  openrouter,
  lmstudio,
  ollama,
  deepgram,
  speech,
  s3,
  r2,
  cloudinary,
  stripe,
  paypal,
  sendgrid,
  mailgun,
  google,
] = await Promise.all([
  started(mocks.openaiCompatible.startOpenAICompatibleMock({ apiKey: secrets.openai })),
  started(mocks.claude.startClaudeMock(secrets.anthropic)),
  started(mocks.gemini.startGeminiMock(secrets.gemini)),
  started(mocks.openaiCompatible.startOpenAICompatibleMock({ apiKey: secrets.xai })),
  started(
    mocks.openaiCompatible.startOpenAICompatibleMock({
      apiKey: secrets.openrouter,
      basePath: '/api/v1',
      routes: { 'GET /api/v1/key': openrouterKey },
    }),
  ),
  started(mocks.openaiCompatible.startOpenAICompatibleMock({})),
  started(mocks.ollama.startOllamaMock()),
  started(mocks.deepgram.startDeepgramMock(secrets.deepgram)),
  started(http.startMock(playableSpeech(elevenlabs.url))),
  started(
    http.startMock(
      mocks.s3Compatible.createS3CompatibleMock({ bucket: 'demo-bucket', accessKeyId: 'AKIAMOCKDEMO0001', region: 'us-east-1' }).handler,
    ),
  ),
  started(
    http.startMock(
      mocks.s3Compatible.createS3CompatibleMock({ bucket: 'demo-r2-bucket', accessKeyId: 'r2-mock-access-key', region: 'auto' }).handler,
    ),
  ),
  started(http.startMock(mocks.cloudinary.createCloudinaryMock(cloudinaryAccount).handler)),
  started(mocks.stripe.startStripeMock(secrets.stripe)),
  started(mocks.paypal.startPayPalMock(secrets.paypal.id, secrets.paypal.secret)),
  started(mocks.sendgrid.startSendGridMock(secrets.sendgrid, [sender])),
  started(mocks.mailgun.startMailgunMock(secrets.mailgun, mailgunDomain)),
  started(mocks.google.startGoogleMock({ id: secrets.google.id, secret: secrets.google.secret, redirectUri: callbackUrl })),
]);

const app = await started(
  http.startApp(
    {
      JWT_SECRET: secrets.jwt,
      GOOGLE_CLIENT_ID: secrets.google.id,
      GOOGLE_CLIENT_SECRET: secrets.google.secret,
      GOOGLE_CALLBACK_URL: callbackUrl,
      GOOGLE_AUTH_BASE_URL: google.url,
      API_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      PGLITE_DATA_DIR: 'memory://',
      OPENAI_API_KEY: secrets.openai,
      OPENAI_BASE_URL: openai.baseURL,
      ANTHROPIC_API_KEY: secrets.anthropic,
      ANTHROPIC_BASE_URL: claude.url,
      GOOGLE_AI_API_KEY: secrets.gemini,
      GEMINI_BASE_URL: gemini.url,
      XAI_API_KEY: secrets.xai,
      XAI_BASE_URL: grok.baseURL,
      OPENROUTER_API_KEY: secrets.openrouter,
      OPENROUTER_BASE_URL: openrouter.baseURL,
      LMSTUDIO_ENDPOINT: lmstudio.url,
      OLLAMA_ENDPOINT: ollama.url,
      DEEPGRAM_API_KEY: secrets.deepgram,
      DEEPGRAM_BASE_URL: deepgram.url,
      ELEVENLABS_API_KEY: secrets.elevenlabs,
      ELEVENLABS_BASE_URL: speech.url,
      AWS_ACCESS_KEY_ID: 'AKIAMOCKDEMO0001',
      AWS_SECRET_ACCESS_KEY: secrets.s3,
      AWS_REGION: 'us-east-1',
      AWS_S3_BUCKET: 'demo-bucket',
      AWS_ENDPOINT_URL_S3: s3.url,
      CF_ACCOUNT_ID: '0123456789abcdef0123456789abcdef',
      R2_ACCESS_KEY_ID: 'r2-mock-access-key',
      R2_SECRET_ACCESS_KEY: secrets.r2,
      R2_BUCKET: 'demo-r2-bucket',
      R2_ENDPOINT: r2.url,
      CLOUDINARY_CLOUD_NAME: cloudinaryAccount.cloudName,
      CLOUDINARY_API_KEY: cloudinaryAccount.apiKey,
      CLOUDINARY_API_SECRET: cloudinaryAccount.apiSecret,
      CLOUDINARY_UPLOAD_PREFIX: cloudinary.url,
      STRIPE_SECRET_KEY: secrets.stripe,
      STRIPE_PUBLISHABLE_KEY: secrets.stripePublishable,
      STRIPE_WEBHOOK_SECRET: secrets.stripeWebhook,
      STRIPE_API_BASE: stripe.url,
      PAYPAL_CLIENT_ID: secrets.paypal.id,
      PAYPAL_CLIENT_SECRET: secrets.paypal.secret,
      PAYPAL_BASE_URL: paypal.url,
      SENDGRID_API_KEY: secrets.sendgrid,
      SENDGRID_FROM_EMAIL: sender,
      SENDGRID_BASE_URL: sendgrid.url,
      MAILGUN_API_KEY: secrets.mailgun,
      MAILGUN_DOMAIN: mailgunDomain,
      MAILGUN_URL: mailgun.url,
    },
    { plugins, as: 'anonymous' },
  ),
);

// A stored key gives the API keys demo a row; the token is what the page's token field takes, an
// admin's, as some demos call admin routes (deleting a stored file or an asset).
// It is OpenAI's own (mock) key: plugins may call with a stored key rather than their variable's.
const token = mocks.jwt.createJwtService({ JWT_SECRET: secrets.jwt }).signToken({ sub: 'health-page-test', roles: ['admin'] });
const storedKey = secrets.openai;
const created = await fetch(`${app.url}/api/keys`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  body: JSON.stringify({ provider: 'openai', key: storedKey, label: 'Health page test' }),
});
if (created.status !== 201) throw new Error(`Storing a key failed with ${created.status}: ${await created.text()}`);

const credentials = Object.values(secrets).flatMap((secret) => (typeof secret === 'string' ? [secret] : [secret.secret]));
const ready: DemoServer = { url: app.url, token, storedKey, secrets: credentials };
console.log(JSON.stringify(ready));

async function shutDown(): Promise<void> {
  await Promise.allSettled(servers.reverse().map((server) => server.close()));
  process.exit(0);
}
process.stdin.on('end', () => void shutDown()).resume();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutDown());

// ElevenLabs' mock answers speech with an MP3 frame header and filler bytes, which browsers
// refuse to decode. This stand-in in front of it leaves every check to the mock (key, voice,
// body) and only swaps a successful answer's audio for silent frames that a browser plays.
function playableSpeech(mockUrl: string): RequestListener {
  return (req, res) => {
    forward(mockUrl, req, res).catch((error: unknown) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(error instanceof Error ? error.message : 'Forwarding failed.');
    });
  };
}

async function forward(mockUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await http.readBody(req);
  const headers = Object.fromEntries(
    ['content-type', 'accept', 'xi-api-key'].flatMap((name) => {
      const value = req.headers[name];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
  const answer = await fetch(`${mockUrl}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: body.length > 0 ? new Uint8Array(body) : undefined,
  });
  const contentType = answer.headers.get('content-type') ?? 'application/octet-stream';
  const payload = answer.ok && contentType === 'audio/mpeg' ? silentMp3(1) : Buffer.from(await answer.arrayBuffer());
  res.writeHead(answer.status, { 'Content-Type': contentType }).end(payload);
}

// MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, mono) whose side information is all zeros: silence.
function silentMp3(seconds: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  return Buffer.concat(Array.from({ length: Math.ceil((seconds * 44_100) / 1152) }, () => frame));
}
