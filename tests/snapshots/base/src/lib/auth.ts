import type { RequestHandler } from 'express';
import { describeEnvProblems, HttpError, setInEnvFile } from './errors.js';
import type { PluginContext } from './plugin.js';
import { serviceKey } from './services.js';

/**
 * The app's authentication middleware, answering 401 for requests without valid credentials.
 * An auth plugin (jwt-service) provides its `requireAuth` under this key.
 */
export const requireAuthKey = serviceKey<RequestHandler>('auth');

/**
 * Runs the installed auth middleware before a plugin's routes, looked up per request since
 * plugins are set up in any order. Without an auth plugin the routes stay open and the log
 * says so once; with one installed but not configured they refuse rather than go unprotected.
 */
export function requireAuthIfInstalled({ services, plugins }: Pick<PluginContext, 'services' | 'plugins'>, routes: string): RequestHandler {
  let warned = false;
  return (req, res, next) => {
    const [requireAuth] = services.all(requireAuthKey);
    if (requireAuth) return requireAuth(req, res, next);
    const unconfigured = plugins.find((plugin) => plugin.providesAuth && !plugin.configured);
    if (unconfigured) {
      throw new HttpError(503, `${routes} needs ${unconfigured.name}, which is not configured: ${describeEnvProblems(unconfigured)}. ${setInEnvFile()}`);
    }
    if (!warned) {
      warned = true;
      console.warn(`${routes} is not protected: no auth plugin is installed. Add jwt-service (JWT_SECRET) to require a token.`);
    }
    next();
  };
}
