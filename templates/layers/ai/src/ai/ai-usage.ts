import { performance } from 'node:perf_hooks';
import type { ServiceRegistry } from '../lib/services.js';
import { reportUsage } from '../lib/usage.js';
import type { AIProvider, ChatChunk, TokenUsage } from './ai-provider.js';

/**
 * Wraps a provider so every call reports its tokens and latency (to usage-tracker, when
 * installed). Plugins wrap once in their setup, so routes and the shared chat route are metered alike.
 */
export function withUsageReporting<Provider extends AIProvider>(provider: Provider, services: ServiceRegistry): Provider {
  const { id } = provider.getInfo();
  const report = (model: string, started: number, usage: TokenUsage | undefined) =>
    reportUsage(services, { provider: id, model, ...usage, latencyMs: Math.round(performance.now() - started) });
  const embed = provider.embed?.bind(provider);

  return {
    ...provider,
    async chat(request, signal) {
      const started = performance.now();
      const result = await provider.chat(request, signal);
      report(result.model, started, result.usage);
      return result;
    },
    async complete(prompt, options, signal) {
      const started = performance.now();
      const result = await provider.complete(prompt, options, signal);
      report(result.model, started, result.usage);
      return result;
    },
    async *chatStream(request, signal): AsyncGenerator<ChatChunk> {
      const started = performance.now();
      let usage: TokenUsage | undefined;
      for await (const chunk of provider.chatStream(request, signal)) {
        usage = chunk.usage ?? usage;
        yield chunk;
      }
      report(request.model ?? provider.getInfo().defaultModel, started, usage);
    },
    ...(embed && {
      async embed(input: string[], model?: string, signal?: AbortSignal) {
        const started = performance.now();
        const result = await embed(input, model, signal);
        report(result.model, started, result.usage);
        return result;
      },
    }),
  };
}
