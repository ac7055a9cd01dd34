/** Where a plugin's files live in a generated project: `src/<category>/<id>/`. */
export type PluginCategory = 'auth' | 'core' | 'ai' | 'voice' | 'storage' | 'payments' | 'email';

/** Category headings for prompts, `list` and docs, in display order. */
export const categoryLabels: Record<PluginCategory, string> = {
  auth: 'Auth',
  core: 'Core',
  ai: 'AI / LLM',
  voice: 'Voice',
  storage: 'Storage',
  payments: 'Payments',
  email: 'Email',
};

/** Code shared by several plugins, rendered from templates/layers/<id>/ when a selected plugin asks for it. */
export type LayerId = 'ai' | 'openai-compatible' | 'email' | 'storage' | 'database' | 'rate-limit';

/** What a layer adds besides its templates; see generators/layers.ts. */
export interface LayerDefinition {
  /** Heading of its .env.example group and README section. */
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  env?: EnvVarDefinition[];
  /** Layers this one's code imports. */
  requires?: LayerId[];
  /** A plugin entry the layer adds to src/plugins.ts (e.g. the shared /api/ai/chat route). */
  entry?: { exportName: string; module: string };
  /** The routes of that entry. */
  endpoints?: Endpoint[];
}

export interface EnvVarDefinition {
  name: string;
  /** One line: what it is and where to get it. */
  description: string;
  /** Required variables leave the plugin "not configured" (503) until set. */
  required: boolean;
  /** Secrets get an empty value in .env.example; other variables show `example`. */
  secret?: boolean;
  example?: string;
}

/**
 * Who may call a route: anyone (`public`), any caller with a valid token (`user`), or an admin.
 * Routes are `user` unless their definition says otherwise.
 */
export type Access = 'public' | 'user' | 'admin';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'WS';
  /**
   * In a plugin's file in generators/, the path below its mount path (`/chat`, or `''` for the
   * mount path itself); in the registry and in layers, the full path (`/api/ai/openai/chat`).
   */
  path: string;
  description: string;
  /** Default `user`. Public routes are the ones a provider or a browser calls without our token. */
  access?: Access;
  /** What the route reads, for /openapi.json: see RouteInput. */
  input?: RouteInput;
}

/**
 * The zod schemas a route validates its input with, by their export names in the module the
 * plugin's generated definition loads as `schemas` (its `<id>.schema.ts` unless its index.ts says otherwise).
 */
export interface RouteInput {
  body?: string;
  query?: string;
  headers?: string;
  /** A multipart upload: the form field of the file; `body` then names the schema of the other fields. */
  file?: string;
  /** Like `file`, for a field that takes several files. */
  files?: string;
}

/** A plugin is data: the engine renders templates/<id>/ and merges the rest. */
export interface PluginDefinition {
  /** Public contract: used by --plugins, add and list. */
  id: string;
  name: string;
  category: PluginCategory;
  /** One line, shown in prompts and `list`. */
  description: string;
  docsUrl: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  env: EnvVarDefinition[];
  /** Where the plugin's router is mounted; absent when it has no routes. */
  mountPath?: string;
  endpoints: Endpoint[];
  /** Plugins that are added with this one. */
  requires?: string[];
  /** It verifies the tokens of private routes, which then no longer accept API_TOKEN. */
  providesAuth?: boolean;
  layers?: LayerId[];
}

/** Gives a plugin definition its type, and each endpoint its full path: the mount path, then its own. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  const mountPath = definition.mountPath ?? '';
  return { ...definition, endpoints: definition.endpoints.map((endpoint) => ({ ...endpoint, path: `${mountPath}${endpoint.path}` })) };
}
