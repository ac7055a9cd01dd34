import { usageMeter, withUsageReporting } from '../../ai/ai-usage.js';
import type { ServiceRegistry } from '../../lib/services.js';
import type { OllamaService } from './ollama.service.js';

/**
 * `withUsageReporting` meters the `AIProvider` calls; Ollama's generate calls have routes of
 * their own, so they are metered here the same way.
 */
export function withOllamaUsageReporting(service: OllamaService, services: ServiceRegistry): OllamaService {
  const meter = usageMeter(services, 'ollama');
  return {
    ...withUsageReporting(service, services),
    generate: (request, signal) => meter.call(() => service.generate(request, signal)),
    generateStream: (request, signal) =>
      meter.stream(service.generateStream(request, signal), () => request.model ?? service.getInfo().defaultModel),
  };
}
