import type { EnvVarDefinition } from '../../generators/define-plugin.js';

/** The variables one plugin (or the base project) adds to .env.example, under one header. */
export interface EnvGroup {
  title: string;
  vars: readonly EnvVarDefinition[];
}

/**
 * Appends every variable of `groups` that `content` does not define yet, each group under a
 * `# <title>` header. Existing lines are kept byte for byte, including their line endings;
 * `KEY=`, `export KEY=` and a commented-out `# KEY=` all count as defined.
 */
export function upsertEnvVars(content: string, groups: readonly EnvGroup[]): string {
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const defined = definedKeys(content);
  const blocks: string[] = [];
  for (const group of groups) {
    const missing = group.vars.filter((variable) => !defined.has(variable.name));
    if (missing.length === 0) continue;
    for (const variable of missing) defined.add(variable.name);
    blocks.push([`# ${group.title}`, ...missing.flatMap(envLines)].join(eol));
  }
  if (blocks.length === 0) return content;

  const separator = content === '' ? '' : content.endsWith(eol + eol) ? '' : content.endsWith(eol) ? eol : eol + eol;
  return content + separator + blocks.join(eol + eol) + eol;
}

function envLines(variable: EnvVarDefinition): string[] {
  if (!variable.required) return [`# [optional] ${variable.description}`, `# ${variable.name}=${variable.example ?? ''}`];
  // Required values stay blank: a placeholder copied into .env would look configured and fail later.
  const example = variable.example && !variable.secret ? ` (e.g. ${variable.example})` : '';
  return [`# [required] ${variable.description}${example}`, `${variable.name}=`];
}

function definedKeys(content: string): Set<string> {
  const keys = new Set<string>();
  for (const line of content.split(/\r?\n/)) {
    const match = /^\s*(?:#\s*)?(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (match?.[1]) keys.add(match[1]);
  }
  return keys;
}
