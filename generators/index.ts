import type { PluginDefinition } from './define-plugin.js';
import jwtService from './jwt-service.js';
import openai from './openai.js';
import s3 from './s3.js';

/** Every plugin, in the order prompts, `list` and generated files show them. */
export const registry: readonly PluginDefinition[] = [jwtService, openai, s3];

export type { PluginDefinition } from './define-plugin.js';
