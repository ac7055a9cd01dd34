import * as z from 'zod';
import { databaseEnv } from '../../database/database.js';

// 32 bytes in standard base64: 43 characters and one '=' of padding.
const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/** Settings read from the environment, with where the shared database lives. */
export const apiKeyManagerEnv = databaseEnv.extend({
  API_KEY_ENCRYPTION_KEY: z
    .string()
    .regex(BASE64_32_BYTES, 'must be 32 random bytes in base64 (44 characters), e.g. from `openssl rand -base64 32`'),
});

export type ApiKeyManagerConfig = z.infer<typeof apiKeyManagerEnv>;

const providerId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'must be a plugin id such as openai');
const label = z.string().trim().min(1).max(100);
const monthlyCallLimit = z.number().int().positive();

/** Query of `GET /api/keys`. */
export const listQuery = z.object({ provider: providerId.optional() });

/** Params of the `/:id` routes. */
export const keyParams = z.object({ id: z.string().uuid('must be a key id (a UUID)') });

/**
 * Body of `POST /api/keys`; the label defaults to the provider id. The key is the caller's own
 * unless `shared`, which only an admin may set: a shared key serves every caller without one.
 */
export const createKeyBody = z.object({
  provider: providerId,
  key: z.string().min(8, 'must be at least 8 characters').max(1_000).regex(/^\S+$/, 'must not contain spaces or line breaks'),
  label: label.optional(),
  limits: z.object({ monthlyCallLimit: monthlyCallLimit.optional() }).optional(),
  enabled: z.boolean().optional(),
  shared: z.boolean().optional(),
});

export type CreateKeyBody = z.infer<typeof createKeyBody>;

/** Body of `PATCH /api/keys/:id`; `monthlyCallLimit: null` removes the limit. The key and its owner cannot change: store a new one. */
export const updateKeyBody = z
  .object({
    label: label.optional(),
    limits: z.object({ monthlyCallLimit: monthlyCallLimit.nullable() }).optional(),
    enabled: z.boolean().optional(),
  })
  .refine(
    (body) => body.label !== undefined || body.limits !== undefined || body.enabled !== undefined,
    'must change label, limits or enabled',
  );

export type UpdateKeyBody = z.infer<typeof updateKeyBody>;

/** A stored key as the API shows it. */
export interface ApiKey {
  id: string;
  provider: string;
  label: string;
  /** The id of the caller who stored it, who alone (with admins) sees and manages it; null for a shared key. */
  owner: string | null;
  /** Masked (e.g. `sk-…abcd`), except in the response that stored it. */
  key: string;
  usage: { calls: number; callsThisMonth: number; lastUsedAt: string | null };
  limits: { monthlyCallLimit: number | null };
  enabled: boolean;
  createdAt: string;
}
