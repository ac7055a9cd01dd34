import { Router } from 'express';
import { z } from 'zod';
import { describeEnvProblems, HttpError, setInEnvFile } from '../lib/errors.js';
import { loadOnce } from '../lib/load-once.js';
import { definePlugin } from '../lib/plugin.js';
import type { PluginSummary } from '../lib/plugin.js';
import { isPluginPrefix, storagePluginIds, storageProviders } from './storage-provider.js';
import type { StoragePluginId, StorageProvider } from './storage-provider.js';

const defaultStorageEnv = z.object({
  STORAGE_DEFAULT: z.enum(storagePluginIds, { message: `must be one of ${storagePluginIds.join(', ')}` }).optional(),
});

/**
 * The storage routes under `/api/storage`, on the default provider: the one STORAGE_DEFAULT
 * names, else the first configured storage plugin. Each plugin also serves them under its own
 * prefix (`/api/storage/s3`, `/api/storage/r2`), which this router leaves alone whatever the
 * order of src/plugins.ts.
 */
export const defaultStoragePlugin = definePlugin({
  id: 'default-storage',
  name: 'Default storage',
  mountPath: '/api/storage',
  routes: [
    { method: 'POST', path: '/api/storage/upload', access: 'user' },
    { method: 'GET', path: '/api/storage/:key', access: 'user' },
    { method: 'DELETE', path: '/api/storage/:key', access: 'admin' },
    { method: 'POST', path: '/api/storage/presigned-url', access: 'user' },
    { method: 'POST', path: '/api/storage/multipart/init', access: 'user' },
    { method: 'PUT', path: '/api/storage/multipart/part', access: 'user' },
    { method: 'POST', path: '/api/storage/multipart/complete', access: 'user' },
    { method: 'POST', path: '/api/storage/multipart/abort', access: 'user' },
  ],
  env: defaultStorageEnv,
  setup(config, { services, plugins }) {
    const routers = new Map<StorageProvider, Router>();
    // The routes (and upload parsing) load on the first request, not at start-up.
    const storageRoutes = loadOnce(() => import('./storage.routes.js'));
    // Chosen when asked: plugins provide themselves at start-up, in any order.
    const defaultStorage = () => chooseStorage(services.all(storageProviders), config.STORAGE_DEFAULT, plugins);
    const router = Router();
    router.use((req, res, next) => {
      if (isPluginPrefix(req.path.split('/')[1] ?? '')) {
        next('router');
        return;
      }
      const storage = defaultStorage();
      storageRoutes().then(({ createStorageRouter }) => {
        let storageRouter = routers.get(storage);
        if (!storageRouter) {
          storageRouter = createStorageRouter(storage);
          routers.set(storage, storageRouter);
        }
        storageRouter(req, res, next);
      }, next);
    });
    // Configured once the provider it would use is: /health then reports it as live as that one.
    return { router, servedBy: () => [defaultStorage().getInfo().id] };
  },
});

function chooseStorage(configured: StorageProvider[], wanted: StoragePluginId | undefined, plugins: readonly PluginSummary[]): StorageProvider {
  const match = wanted === undefined ? configured[0] : configured.find((storage) => storage.getInfo().id === wanted);
  if (match) return match;
  throw noStorageError(wanted, plugins.filter((plugin) => storagePluginIds.includes(plugin.id as StoragePluginId)));
}

// Names what to set, like the 503 of an unconfigured plugin's own routes.
function noStorageError(wanted: StoragePluginId | undefined, installed: readonly PluginSummary[]): HttpError {
  if (wanted !== undefined) {
    const plugin = installed.find((candidate) => candidate.id === wanted);
    if (!plugin) {
      return new HttpError(503, `STORAGE_DEFAULT is ${wanted}, but the ${wanted} plugin is not installed. Add it with \`npx create-provider-app add ${wanted}\` or change STORAGE_DEFAULT.`);
    }
    return new HttpError(503, `STORAGE_DEFAULT is ${wanted}, but ${plugin.name} is not configured: ${describeEnvProblems(plugin)}. ${setInEnvFile()}`, { plugins: [plugin] });
  }
  const unconfigured = installed.filter((plugin) => !plugin.configured);
  if (unconfigured.length === 0) return new HttpError(503, 'No storage plugin is installed. Add one with `npx create-provider-app add s3` (or r2).');
  const summary = unconfigured.map((plugin) => `${plugin.name}: ${describeEnvProblems(plugin)}`).join('; ');
  return new HttpError(503, `No storage provider is configured (${summary}). ${setInEnvFile('the variables of one')}`, { plugins: unconfigured });
}
