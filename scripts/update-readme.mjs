// Rewrites the plugin table in README.md from the registry (run through `npm run docs`, after a build).
import { readFileSync, writeFileSync } from 'node:fs';
import { registry } from '../dist/generators/index.js';
import { updatePluginTable } from '../dist/src/docs/plugin-table.js';

const file = new URL('../README.md', import.meta.url);
writeFileSync(file, updatePluginTable(readFileSync(file, 'utf8'), registry));
