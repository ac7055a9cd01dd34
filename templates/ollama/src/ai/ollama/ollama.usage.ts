import { performance } from 'node:perf_hooks';
import type { ChatChunk, TokenUsage } from '../../ai/ai-provider.js';
import { withUsageReporting } from '../../ai/ai-usage.js';
import type { ServiceRegistry } from '../../lib/services.js';
import { reportUsage } from '../../lib/usage.js';
import type { OllamaService } from './ollama.service.js';

/**
 * `withUsageReporting` meters the `AIProvider` calls; Ollama's generate calls have routes of
 * their own, so they are metered here the same way.
 */
export function withOllamaUsageReporting(service: OllamaService, services: ServiceRegistry): OllamaService {
  const report = (model: string, started: number, usage: TokenUsage | undefined) =>
    reportUsage(services, { provider: 'ollama', model, ...usage, latencyMs: Math.round(performance.now() - started) });

  return {
    ...withUsageReporting(service, services),
    async generate(request, signal) {
      const started = performance.now();
      const result = await service.generate(request, signal);
      report(result.model, started, result.usage);
      return result;
    },
    async *generateStream(request, signal): AsyncGenerator<ChatChunk> {
      const started = performance.now();
      let usage: TokenUsage | undefined;
      for await (const chunk of service.generateStream(request, signal)) {
        usage = chunk.usage ?? usage;
        yield chunk;
      }
      report(request.model ?? service.getInfo().defaultModel, started, usage);
    },
  };
}
