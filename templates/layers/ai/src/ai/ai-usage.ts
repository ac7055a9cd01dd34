import { performance } from 'node:perf_hooks';
import type { ServiceRegistry } from '../lib/services.js';
import { reportUsage } from '../lib/usage.js';
import type { AIProvider, ChatChunk, TokenUsage } from './ai-provider.js';

/**
 * Wraps a provider so every call reports its tokens and latency (to usage-tracker, when
 * installed). Plugins wrap once in their setup, so routes and the shared chat route are metered alike.
 */
export function withUsageReporting<Provider extends AIProvider>(provider: Provider, services: ServiceRegistry): Provider {
  const meter = usageMeter(services, provider.getInfo().id);
  const embed = provider.embed?.bind(provider);

  return {
    ...provider,
    chat: (request, signal) => meter.call(() => provider.chat(request, signal)),
    complete: (prompt, options, signal) => meter.call(() => provider.complete(prompt, options, signal)),
    chatStream: (request, signal) =>
      meter.stream(provider.chatStream(request, signal), () => request.model ?? provider.getInfo().defaultModel),
    ...(embed && {
      embed: (input: string[], model?: string, signal?: AbortSignal) => meter.call(() => embed(input, model, signal)),
    }),
  };
}

/** Reports the tokens and latency of one provider's calls; for calls beyond the `AIProvider` ones. */
export interface UsageMeter {
  /** Runs a call and reports the model and usage its result names. */
  call<Result extends { model: string; usage?: TokenUsage | undefined }>(run: () => Promise<Result>): Promise<Result>;
  /**
   * Passes a stream's chunks on, then reports the last usage they carried for `model()`, asked
   * at the end: a provider may learn its default model during the call (LM Studio does).
   */
  stream(chunks: AsyncIterable<ChatChunk>, model: () => string): AsyncGenerator<ChatChunk>;
}

/** The usage meter of provider `providerId`. */
export function usageMeter(services: ServiceRegistry, providerId: string): UsageMeter {
  const report = (model: string, started: number, usage: TokenUsage | undefined) =>
    reportUsage(services, { provider: providerId, model, ...usage, latencyMs: Math.round(performance.now() - started) });

  return {
    async call(run) {
      const started = performance.now();
      const result = await run();
      report(result.model, started, result.usage);
      return result;
    },
    async *stream(chunks, model) {
      const started = performance.now();
      let usage: TokenUsage | undefined;
      for await (const chunk of chunks) {
        usage = chunk.usage ?? usage;
        yield chunk;
      }
      report(model(), started, usage);
    },
  };
}
