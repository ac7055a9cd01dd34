import { Router } from 'express';
import * as z from 'zod';
import { describeEnvProblems, HttpError, setInEnvFile } from '../lib/errors.js';
import { routerOnFirstUse } from '../lib/lazy-router.js';
import type { PluginSummary } from '../lib/plugin.js';
import { definePlugin } from '../lib/plugin.js';
import type { StoragePluginId, StorageProvider } from './storage-provider.js';
import { isPluginPrefix, storagePluginIds, storageProviders } from './storage-provider.js';

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
    {
      method: 'POST',
      path: '/api/storage/upload',
      access: 'user',
      summary: 'Upload one file (multipart/form-data field `file`, optional `key`)',
      input: { body: 'uploadFields', file: 'file' },
    },
    {
      method: 'GET',
      path: '/api/storage/:key',
      access: 'user',
      summary: 'Download an object, streamed; honours `Range`; a download unless it is an image (not SVG), audio, video or PDF',
    },
    { method: 'DELETE', path: '/api/storage/:key', access: 'admin', summary: 'Delete an object' },
    { method: 'POST', path: '/api/storage/presigned-url', access: 'user', summary: 'Presigned GET or PUT URL for direct browser access' },
    {
      method: 'POST',
      path: '/api/storage/multipart/init',
      access: 'user',
      summary: 'Start a multipart upload',
      input: { body: 'multipartInitBody' },
    },
    {
      method: 'PUT',
      path: '/api/storage/multipart/part',
      access: 'user',
      summary: 'Upload one part (raw body; `key`, `uploadId`, `partNumber` in the query)',
      input: { query: 'multipartPartQuery' },
    },
    {
      method: 'POST',
      path: '/api/storage/multipart/complete',
      access: 'user',
      summary: 'Assemble the uploaded parts',
      input: { body: 'multipartCompleteBody' },
    },
    {
      method: 'POST',
      path: '/api/storage/multipart/abort',
      access: 'user',
      summary: 'Abandon a multipart upload and free its parts',
      input: { body: 'multipartAbortBody' },
    },
  ],
  env: defaultStorageEnv,
  schemas: () => import('./storage.routes.js'),
  setup(config, { services, plugins }) {
    // Chosen when asked: plugins provide themselves at start-up, in any order.
    const defaultStorage = () => chooseStorage(services.all(storageProviders), config.STORAGE_DEFAULT, plugins);
    const router = Router();
    router.use((req, _res, next) => {
      if (isPluginPrefix(req.path.split('/')[1] ?? '')) {
        next('router');
        return;
      }
      // Throws the 503 while no storage is configured: the routes are built once one is.
      defaultStorage();
      next();
    });
    // The routes (and upload parsing) load on the first request, not at start-up.
    router.use(routerOnFirstUse(async () => (await import('./storage.routes.js')).createStorageRouter(defaultStorage())));
    // Configured once the provider it would use is: /health then reports it as live as that one.
    return { router, servedBy: () => [defaultStorage().getInfo().id] };
  },
});

function chooseStorage(
  configured: StorageProvider[],
  wanted: StoragePluginId | undefined,
  plugins: readonly PluginSummary[],
): StorageProvider {
  const match = wanted === undefined ? configured[0] : configured.find((storage) => storage.getInfo().id === wanted);
  if (match) return match;
  throw noStorageError(
    wanted,
    plugins.filter((plugin) => storagePluginIds.includes(plugin.id as StoragePluginId)),
  );
}

// Names what to set, like the 503 of an unconfigured plugin's own routes.
function noStorageError(wanted: StoragePluginId | undefined, installed: readonly PluginSummary[]): HttpError {
  if (wanted !== undefined) {
    const plugin = installed.find((candidate) => candidate.id === wanted);
    if (!plugin) {
      return new HttpError(
        503,
        `STORAGE_DEFAULT is ${wanted}, but the ${wanted} plugin is not installed. Add it with \`npx create-provider-app add ${wanted}\` or change STORAGE_DEFAULT.`,
      );
    }
    return new HttpError(
      503,
      `STORAGE_DEFAULT is ${wanted}, but ${plugin.name} is not configured: ${describeEnvProblems(plugin)}. ${setInEnvFile()}`,
      { plugins: [plugin] },
    );
  }
  const unconfigured = installed.filter((plugin) => !plugin.configured);
  if (unconfigured.length === 0)
    return new HttpError(503, 'No storage plugin is installed. Add one with `npx create-provider-app add s3` (or r2).');
  const summary = unconfigured.map((plugin) => `${plugin.name}: ${describeEnvProblems(plugin)}`).join('; ');
  return new HttpError(503, `No storage provider is configured (${summary}). ${setInEnvFile('the variables of one')}`, {
    plugins: unconfigured,
  });
}
