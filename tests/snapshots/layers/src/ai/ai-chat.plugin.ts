import { performance } from 'node:perf_hooks';
import express, { Router } from 'express';
import * as z from 'zod';
import { asyncHandler } from '../lib/async-handler.js';
import { HttpError, setInEnvFile } from '../lib/errors.js';
import { definePlugin } from '../lib/plugin.js';
import { createRateLimit } from '../lib/rate-limit.js';
import type { ServiceRegistry } from '../lib/services.js';
import { sendEventStream } from '../lib/sse.js';
import { estimateUsageCost } from '../lib/usage.js';
import { validate } from '../lib/validate.js';
import type { AIProvider, ChatChunk, ChatRequest, TokenUsage } from './ai-provider.js';
import { aiProviders } from './ai-provider.js';
import { chatBodySchema } from './ai-schemas.js';

const aiChatEnv = z.object({
  AI_PROVIDERS: z.string().optional(),
});

const chatBody = chatBodySchema.extend({
  /** Ask one provider only; without it the configured order is tried, falling through on failure. */
  provider: z.string().min(1).optional(),
});

/** One provider that was tried and failed, as reported to the client. */
interface FailedAttempt {
  provider: string;
  status: number;
  message: string;
}

/**
 * `POST /api/ai/chat`: one chat endpoint over every installed AI plugin. It uses the provider
 * asked for, or the AI_PROVIDERS order (primary first), falling through to the next provider
 * when one fails; the answer says which provider replied, and with usage-tracker installed what
 * it cost (`costUsd`, on the answer or on the stream event carrying the usage). `GET /api/ai/providers` lists them.
 */
export const aiChatPlugin = definePlugin({
  id: 'ai-chat',
  name: 'AI chat',
  mountPath: '/api/ai',
  routes: [
    {
      method: 'POST',
      path: '/api/ai/chat',
      access: 'user',
      summary: 'Chat with the first AI provider that answers (AI_PROVIDERS order); `"stream": true` for SSE',
      input: { body: 'chatBody' },
    },
    { method: 'GET', path: '/api/ai/providers', access: 'user', summary: 'The installed AI providers, primary first' },
  ],
  demo: { widget: 'ai' },
  env: aiChatEnv,
  schemas: async () => ({ chatBody }),
  setup(config, { env, services }) {
    const order = (config.AI_PROVIDERS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const router = Router();

    router.get('/providers', (_req, res) => {
      res.json({ providers: candidates(services, order).map((provider) => provider.getInfo()) });
    });

    // Body parsing stays on this route: /api/ai is also the prefix of every AI plugin's own routes.
    router.post(
      '/chat',
      createRateLimit(env),
      express.json({ limit: '1mb' }),
      asyncHandler(async (req, res) => {
        const { provider: wanted, stream, ...request } = validate(chatBody, req.body);
        const chain = chooseProviders(candidates(services, order), wanted);
        if (stream) {
          await sendEventStream(res, (signal) => streamWithFallback(chain, request, services, signal));
          return;
        }
        res.json(await chatWithFallback(chain, request, services));
      }),
    );

    // Chat works once one provider is configured; /health reports it as live as the best of them.
    const servedBy = () => chooseProviders(candidates(services, order), undefined).map((provider) => provider.getInfo().id);
    return { router, servedBy };
  },
});

/** Configured providers: those named in AI_PROVIDERS first, in that order, then the rest. */
function candidates(services: ServiceRegistry, order: string[]): AIProvider[] {
  const rank = (provider: AIProvider) => {
    const index = order.indexOf(provider.getInfo().id);
    return index === -1 ? order.length : index;
  };
  return [...services.all(aiProviders)].sort((a, b) => rank(a) - rank(b));
}

function chooseProviders(available: AIProvider[], wanted: string | undefined): AIProvider[] {
  const ids = available.map((provider) => provider.getInfo().id);
  if (available.length === 0) throw new HttpError(503, `No AI provider is configured. ${setInEnvFile('the API key of one')}`);
  if (wanted === undefined) return available;
  const match = available.find((provider) => provider.getInfo().id === wanted);
  if (!match) throw new HttpError(404, `AI provider "${wanted}" is not configured. Configured: ${ids.join(', ')}.`);
  return [match];
}

// A model id only means something to the provider it was meant for, so fallbacks use their default.
function requestFor(request: ChatRequest, attempt: number): ChatRequest {
  return attempt === 0 ? request : { ...request, model: undefined };
}

async function chatWithFallback(chain: AIProvider[], request: ChatRequest, services: ServiceRegistry) {
  const failed: FailedAttempt[] = [];
  for (const [attempt, provider] of chain.entries()) {
    const started = performance.now();
    try {
      const result = await provider.chat(requestFor(request, attempt));
      return { ...result, ...costOf(services, provider, result.model, result.usage, started), fallbacks: failed };
    } catch (error) {
      failed.push(describeFailure(provider, error));
    }
  }
  throw allFailed(failed);
}

// Falls through only before the first chunk: once text has reached the client, switching would garble it.
async function* streamWithFallback(
  chain: AIProvider[],
  request: ChatRequest,
  services: ServiceRegistry,
  signal: AbortSignal,
): AsyncGenerator<ChatChunk & { provider?: string; costUsd?: number }> {
  const failed: FailedAttempt[] = [];
  for (const [attempt, provider] of chain.entries()) {
    const started = performance.now();
    const attemptRequest = requestFor(request, attempt);
    const model = attemptRequest.model ?? provider.getInfo().defaultModel;
    const chunks = provider.chatStream(attemptRequest, signal)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatChunk>;
    try {
      first = await chunks.next();
    } catch (error) {
      if (signal.aborted) throw error;
      failed.push(describeFailure(provider, error));
      continue;
    }
    if (first.done) return;
    yield { ...first.value, ...costOf(services, provider, model, first.value.usage, started), provider: provider.getInfo().id };
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
      yield { ...next.value, ...costOf(services, provider, model, next.value.usage, started) };
    }
    return;
  }
  throw allFailed(failed);
}

// Priced by usage-tracker's table when it is installed; nothing is added when the call has no usage or no known price.
function costOf(
  services: ServiceRegistry,
  provider: AIProvider,
  model: string,
  usage: TokenUsage | undefined,
  started: number,
): { costUsd?: number } {
  if (!usage) return {};
  const costUsd = estimateUsageCost(services, {
    provider: provider.getInfo().id,
    model,
    ...usage,
    latencyMs: Math.round(performance.now() - started),
  });
  return costUsd === undefined ? {} : { costUsd };
}

function describeFailure(provider: AIProvider, error: unknown): FailedAttempt {
  const { id } = provider.getInfo();
  if (error instanceof HttpError) return { provider: id, status: error.status, message: error.message };
  return { provider: id, status: 502, message: 'Unexpected failure.' };
}

function allFailed(failed: FailedAttempt[]): HttpError {
  const last = failed[failed.length - 1];
  const summary = failed.map((attempt) => `${attempt.provider} (${attempt.status})`).join(', ');
  return new HttpError(last?.status ?? 502, `No AI provider answered: ${summary}.`, { attempts: failed });
}
