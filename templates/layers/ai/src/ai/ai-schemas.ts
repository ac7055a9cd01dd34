import * as z from 'zod';

/** Generation options every provider understands: the request body fields next to a prompt or messages. */
export const chatOptionsSchema = z.object({
  model: z.string().min(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
});

/** One message of a conversation, as clients send it. */
export const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1),
});

/** A chat request body; parses to a `ChatRequest`, so every AI plugin validates chats the same way. */
export const chatRequestSchema = chatOptionsSchema.extend({
  messages: z.array(chatMessageSchema).min(1, 'must contain at least one message'),
});

/** Body of every AI plugin's `POST /chat`: a chat request; `stream: true` answers with Server-Sent Events. */
export const chatBodySchema = chatRequestSchema.extend({
  stream: z.boolean().optional(),
});

/** Body of an AI plugin's `POST /embeddings`: one text or a list of at most `maxInputs`, what its provider takes in one call. */
export function embeddingsBodySchema(maxInputs: number) {
  return z.object({
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(maxInputs)]),
    model: z.string().min(1).optional(),
  });
}
