import * as z from 'zod';
import { chatMessageSchema, chatOptionsSchema, embeddingsBodySchema } from '../../ai/ai-schemas.js';

/** The plugin's environment variables; only the key is required. */
export const geminiEnv = z.object({
  GOOGLE_AI_API_KEY: z.string().min(1),
  // Their defaults live in createGeminiService, next to the calls that use them.
  GEMINI_MODEL: z.string().optional(),
  GEMINI_EMBEDDING_MODEL: z.string().optional(),
  GEMINI_BASE_URL: z.string().url('must be a URL such as https://generativelanguage.googleapis.com').optional(),
});

/** Validated settings of the Gemini plugin. */
export type GeminiConfig = z.infer<typeof geminiEnv>;

/** Body of `POST /generate`: a conversation, a prompt, or both (the prompt is then the last user turn). */
export const generateBody = chatOptionsSchema
  .extend({
    prompt: z.string().min(1).optional(),
    messages: z.array(chatMessageSchema).optional(),
    stream: z.boolean().optional(),
  })
  .refine((body) => body.prompt !== undefined || (body.messages?.length ?? 0) > 0, {
    message: 'send a prompt, messages or both',
    path: ['prompt'],
  });

/** A validated `POST /generate` body. */
export type GenerateBody = z.infer<typeof generateBody>;

/** The largest image `POST /vision` accepts, decoded; Gemini takes inline requests up to 20 MB in all. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** An image sent inline with a prompt. */
export const imageSchema = z.object({
  data: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64, without a data: URL prefix'),
  mimeType: z.enum(['image/png', 'image/jpeg', 'image/webp', 'image/gif']),
});

/** A validated image. */
export type InlineImage = z.infer<typeof imageSchema>;

/** Body of `POST /vision`. */
export const visionBody = chatOptionsSchema.extend({
  prompt: z.string().min(1),
  image: imageSchema,
});

/** Body of `POST /embeddings`: one text or a batch (the API embeds at most 100 per call). */
export const embeddingsBody = embeddingsBodySchema(100);
