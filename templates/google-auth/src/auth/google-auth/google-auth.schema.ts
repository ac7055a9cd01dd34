import * as z from 'zod';
import type { HttpError } from '../../lib/errors.js';
import type { JwtService } from '../jwt-service/jwt-service.service.js';

/** The entries of a comma-separated setting, trimmed and lower-cased: addresses and domains compare case-insensitively. */
export function listSetting(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');
}

function commaList(item: RegExp, message: string) {
  return z.string().refine((value) => listSetting(value).every((entry) => item.test(entry)), message);
}

const emailList = commaList(
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  'must be e-mail addresses separated by commas, e.g. ada@example.org,grace@example.org',
);
const domainList = commaList(/^([a-z0-9-]+\.)+[a-z0-9-]+$/, 'must be domains separated by commas, without @, e.g. example.org,example.com');

/** The plugin's environment variables; the OAuth client and its redirect URI are required. */
export const googleAuthEnv = z.object({
  GOOGLE_CLIENT_ID: z.string().min(1),
  GOOGLE_CLIENT_SECRET: z.string().min(1),
  GOOGLE_CALLBACK_URL: z.string().url('must be the full URL of GET /auth/google/callback, e.g. http://localhost:3000/auth/google/callback'),
  GOOGLE_SUCCESS_REDIRECT: z.string().url('must be a URL such as http://localhost:5173/signed-in').optional(),
  GOOGLE_AUTH_BASE_URL: z.string().url('must be a URL such as http://localhost:4000').optional(),
  ADMIN_EMAILS: emailList.optional(),
  GOOGLE_ALLOWED_DOMAINS: domainList.optional(),
  GOOGLE_ALLOWED_EMAILS: emailList.optional(),
});

/** Validated settings of the Google sign-in plugin. */
export type GoogleAuthConfig = z.infer<typeof googleAuthEnv>;

/** Query of `GET /google/callback`: Google sends `state` back with either a `code` or an `error`. */
export const callbackQuery = z
  .object({
    state: z.string().min(1),
    code: z.string().min(1).optional(),
    error: z.string().min(1).optional(),
  })
  .refine((query) => query.code !== undefined || query.error !== undefined, { message: 'code or error is required', path: ['code'] });

/** The signed-in Google account, as the callback answers it. */
export interface GoogleUser {
  /** Google's stable account id (`sub`); also the `sub` of the issued JWT. */
  id: string;
  /** Only when Google has verified it: an unverified address proves nothing about who signed in. */
  email?: string;
  name?: string;
  picture?: string;
}

/** What `GET /google/callback` answers when GOOGLE_SUCCESS_REDIRECT is not set. */
export interface SignInResult {
  token: string;
  user: GoogleUser;
}

/** jwt-service's signer when its settings are valid; otherwise the 503 that sign-in answers. */
export type TokenIssuer = { ok: true; jwt: JwtService } | { ok: false; error: HttpError };
