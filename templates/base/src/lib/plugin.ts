import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Router } from 'express';
import type { EnvProblems, EnvSource } from '../env.js';
import type { RouteAccess } from './access.js';
import type { ServiceRegistry } from './services.js';
import type { Schema } from './validate.js';

/** Takes over a WebSocket upgrade request (Express does not see these). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** What a configured plugin contributes to the running app. */
export interface PluginInstance {
  /** Mounted at the plugin's `mountPath`. */
  router?: Router;
  /** WebSocket endpoints by path below `mountPath`, e.g. `{ '/stream': handler }`. */
  upgrades?: Record<string, UpgradeHandler>;
  /** A live check against the provider (e.g. list models); throws when it fails. Run by `GET /health?probe=1`. */
  probe?: (signal: AbortSignal) => Promise<void>;
  /**
   * For a plugin that serves through others (the shared AI chat, the default storage): the ids of
   * the configured plugins it would use now; throws what its routes answer while there is none.
   * `GET /health` reports it not configured until one is, and as live as the best of them.
   */
  servedBy?: () => string[];
}

/** What start-up learned about one installed plugin. */
export interface PluginSummary extends EnvProblems {
  id: string;
  name: string;
  configured: boolean;
  providesAuth: boolean;
}

/** What a plugin gets at start-up besides its own settings. */
export interface PluginContext {
  /** The whole environment, e.g. to read another plugin's settings. */
  env: EnvSource;
  /** Services plugins offer each other (AI providers, usage recording, auth). */
  services: ServiceRegistry;
  /** Every installed plugin; complete once all are set up, so read it when a request arrives. */
  plugins: readonly PluginSummary[];
}

/** The demo a plugin offers on the status page (`GET /health/ui`), passed on by `GET /health`. */
export interface PluginDemo {
  /** The page's widget for it, e.g. `transcribe`: one of `widgets` in public/health-ui/app.js. */
  widget: string;
  /** Below `mountPath`, e.g. `/transcribe`; without it the widget calls routes below `mountPath` itself. */
  endpoint?: string;
}

/**
 * What a route reads, for /openapi.json: the names of the zod schemas it validates its input with,
 * each exported by the module the plugin's `schemas` loads.
 */
export interface RouteInput {
  body?: string;
  query?: string;
  headers?: string;
  /** A multipart upload: the form field of the file; `body` then describes the other fields. */
  file?: string;
  /** Like `file`, for a field that takes several files. */
  files?: string;
}

/** One route of a plugin, as its definition in create-provider-app lists it. */
export interface PluginRoute extends RouteAccess {
  /** One line for /openapi.json. */
  summary?: string;
  input?: RouteInput;
}

/** One entry of src/plugins.ts: how to read the plugin's settings and build it from them. */
export interface ProviderPlugin<Config> {
  /** Stable id, as in `create-provider-app add <id>`. */
  id: string;
  /** Display name used in messages and on /health. */
  name: string;
  /** Where the plugin's routes live, e.g. `/api/ai/openai`. Absent for plugins without routes. */
  mountPath?: string;
  /** Who may call each route; rendered from the plugin's definition. Routes not listed need a token. */
  routes?: PluginRoute[];
  /**
   * Loads the module that exports the schemas its routes' `input` names. Only /openapi.json calls
   * it, on its first request: start-up never pays for a route's schemas.
   */
  schemas?: () => Promise<object>;
  /** Set by plugins that provide `authenticatorKey`: while one is not configured, private routes refuse. */
  providesAuth?: boolean;
  /**
   * Set by plugins that talk to a server on the developer's machine (Ollama, LM Studio), which may
   * simply not be started: while nothing answers there, `GET /health?probe=1` reports the plugin
   * `not_running`, a neutral state, rather than `failing`.
   */
  localServer?: boolean;
  /** Its widget on the status page; plugins without one are listed there with their status only. */
  demo?: PluginDemo;
  /** The plugin's environment variables. Missing or invalid ones leave it "not configured", never crash the server. */
  env: Schema<Config>;
  // Method syntax on purpose: it lets plugins with different Config types share one array.
  /** Builds the plugin once at start-up from its validated settings. */
  setup(config: Config, context: PluginContext): PluginInstance;
}

/** Identity helper: gives a plugin definition its types. */
export function definePlugin<Config>(plugin: ProviderPlugin<Config>): ProviderPlugin<Config> {
  return plugin;
}
