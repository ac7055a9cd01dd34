import { readFile } from 'node:fs/promises';
import { Router } from 'express';
import * as z from 'zod';
import type { Access } from './lib/access.js';
import { loadOnce } from './lib/load-once.js';
import type { PluginRoute, ProviderPlugin, RouteInput } from './lib/plugin.js';

/** Where the document is served; README.md shows how to make a typed client from it. */
export const OPENAPI_PATH = '/openapi.json';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** The app's own routes, beside the plugins': the `/health` summary and this document. */
const appRoutes: PluginRoute[] = [
  {
    method: 'GET',
    path: '/health',
    access: 'public',
    summary: "Every plugin's status; `?probe=1` also calls each configured provider (an admin's, except from this machine in development)",
  },
  { method: 'GET', path: OPENAPI_PATH, access: 'public', summary: 'This OpenAPI document' },
];

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document of every installed plugin's routes. It is built on
 * its first request, from the routes the plugins list and the zod schemas they validate with, and
 * kept: the schemas' modules load then, not at start-up.
 */
export function createOpenApiRouter(plugins: readonly ProviderPlugin<unknown>[]): Router {
  const document = loadOnce(() => buildOpenApiDocument(plugins));
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res, next) => {
    document().then((built) => res.json(built), next);
  });
  return router;
}

/** The OpenAPI 3.1 document of the app with these plugins. WebSocket routes are left out: OpenAPI cannot describe them. */
export async function buildOpenApiDocument(plugins: readonly ProviderPlugin<unknown>[]): Promise<Record<string, unknown>> {
  const { name, version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  const paths: Record<string, Record<string, Operation>> = {};
  const add = (route: PluginRoute, operation: Operation) => {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  };
  for (const route of appRoutes) add(route, operationOf(route, {}, { tag: 'App', pluginRoute: false }));
  for (const plugin of plugins) {
    const schemas = (await plugin.schemas?.()) ?? {};
    for (const route of plugin.routes ?? []) {
      if (route.method !== 'WS') add(route, operationOf(route, schemas, { tag: plugin.name, pluginRoute: true }));
    }
  }
  const authPlugin = plugins.find((plugin) => plugin.providesAuth);
  return {
    openapi: '3.1.1',
    info: { title: name, version },
    paths,
    // Every route needs a token unless its operation says `security: []` (src/lib/access.ts).
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: authPlugin
          ? {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description: `A token from ${authPlugin.name}; admin routes need one whose roles include admin.`,
            }
          : { type: 'http', scheme: 'bearer', description: 'The server token API_TOKEN; its holder is the operator, an admin.' },
      },
      schemas: { Error: errorSchema },
      responses,
    },
  };
}

/** Every error answer: `{ error: { message, details } }` (src/lib/errors.ts). */
const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message'],
      properties: {
        message: { type: 'string', description: 'What went wrong, for people.' },
        details: { description: 'For a 400, the issues: `[{ path, message }]`; for a 503, the missing and invalid variables.' },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const responses = {
  BadRequest: errorResponse('The input is invalid: `details` lists every issue.'),
  Unauthorized: errorResponse('No token, or one that is not valid.'),
  Forbidden: errorResponse("The token is valid but not an admin's."),
  NotConfigured: errorResponse(
    'The plugin is not configured (the message names its missing variables), or the provider cannot be reached.',
  ),
  Error: errorResponse('Any other error.'),
};

const ref = (name: keyof typeof responses) => ({ $ref: `#/components/responses/${name}` });

function operationOf(route: PluginRoute, schemas: object, { tag, pluginRoute }: { tag: string; pluginRoute: boolean }): Operation {
  const input = route.input ?? {};
  const parameters = [
    ...pathParameters(route.path),
    ...inputParameters(schemas, route, input, 'query'),
    ...inputParameters(schemas, route, input, 'headers'),
  ];
  const body = requestBody(schemas, route, input);
  const errors: Record<string, unknown> = {};
  if (parameters.length > 0 || body) errors['400'] = ref('BadRequest');
  if (route.access !== 'public') errors['401'] = ref('Unauthorized');
  if (route.access === 'admin') errors['403'] = ref('Forbidden');
  if (pluginRoute) errors['503'] = ref('NotConfigured');
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [tag],
    ...ACCESS[route.access],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: { '2XX': { description: 'Success.' }, ...errors, default: ref('Error') },
  };
}

const ACCESS: Record<Access, Operation> = {
  public: { security: [] },
  user: {},
  admin: { description: 'Only an admin may call this route.' },
};

// `postApiAiOpenaiChat`: unique per method and path, and a readable name in generated clients.
function operationId({ method, path }: PluginRoute): string {
  const words = [method.toLowerCase(), ...path.split(/[^A-Za-z0-9]+/).filter(Boolean)];
  return words.map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1))).join('');
}

// `:key` may span slashes (src/lib/access.ts): a client sends it percent-encoded or as it is.
function pathParameters(path: string): Operation[] {
  return [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function inputParameters(schemas: object, route: PluginRoute, input: RouteInput, part: 'query' | 'headers'): Operation[] {
  const name = input[part];
  if (name === undefined) return [];
  const schema = jsonSchemaOf(schemas, route, name);
  const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  return Object.entries(properties).map(([property, propertySchema]) => ({
    name: property,
    in: part === 'query' ? 'query' : 'header',
    required: required.has(property),
    schema: propertySchema,
  }));
}

// A file in a multipart form, as OpenAPI 3.1 describes one.
const binary = { type: 'string', contentMediaType: 'application/octet-stream' };

function requestBody(schemas: object, route: PluginRoute, input: RouteInput): Operation | undefined {
  const fields = input.body === undefined ? undefined : jsonSchemaOf(schemas, route, input.body);
  const uploads = { ...(input.file && { [input.file]: binary }), ...(input.files && { [input.files]: { type: 'array', items: binary } }) };
  if (Object.keys(uploads).length === 0) return fields && { required: true, content: { 'application/json': { schema: fields } } };
  const properties = { ...(fields?.['properties'] as JsonSchema | undefined), ...uploads };
  const required = [...((fields?.['required'] ?? []) as string[]), ...Object.keys(uploads)];
  return { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties, required } } } };
}

// What a client may send: the schema's input side, before defaults and transforms. Checks zod
// cannot express in JSON Schema (refinements) are left out; the route still applies them.
function jsonSchemaOf(schemas: object, route: PluginRoute, name: string): JsonSchema {
  const schema = (schemas as Record<string, unknown>)[name];
  if (!(schema instanceof z.ZodType))
    throw new Error(`${route.method} ${route.path} reads ${name}, which its plugin's schemas module does not export as a zod schema.`);
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  // The document's own dialect (JSON Schema 2020-12) applies: a schema does not restate it.
  delete json['$schema'];
  return json;
}
