import { describe, expect, it } from 'vitest';
import { upsertDependencies } from '../../src/edits/package-json.js';
import { UserError } from '../../src/errors.js';

const keep = () => 'keep' as const;
const wanted = (dependencies: Record<string, string>, devDependencies: Record<string, string> = {}) => ({ dependencies, devDependencies });

describe('upsertDependencies', () => {
  it('adds missing packages in alphabetical position, keeping indent and final newline', () => {
    const input = '{\n    "name": "app",\n    "dependencies": {\n        "cors": "^2.8.5",\n        "zod": "^4.0.0"\n    }\n}\n';
    const { content, added } = upsertDependencies(input, wanted({ express: '^5.1.0' }), keep);
    expect(content).toBe(
      '{\n    "name": "app",\n    "dependencies": {\n        "cors": "^2.8.5",\n        "express": "^5.1.0",\n        "zod": "^4.0.0"\n    }\n}\n',
    );
    expect(added).toEqual(['express']);
  });

  it('keeps an existing range that intersects, in either field', () => {
    const input = '{\n  "dependencies": { "zod": "^3.25.1" },\n  "devDependencies": { "typescript": "^5.9.0" }\n}';
    const { content, conflicts } = upsertDependencies(input, wanted({ zod: '^3.25.0 || ^4.0.0' }, { typescript: '~5.9.3' }), keep);
    expect(content).toBe(input);
    expect(conflicts).toEqual([]);
  });

  it('reports a range that does not intersect, and keeps or replaces it as told', () => {
    const input = '{\n  "dependencies": {\n    "stripe": "^17.0.0"\n  }\n}\n';
    const kept = upsertDependencies(input, wanted({ stripe: '^23.1.0' }), keep);
    expect(kept.content).toBe(input);
    expect(kept.conflicts).toEqual([{ name: 'stripe', existing: '^17.0.0', wanted: '^23.1.0' }]);
    const replaced = upsertDependencies(input, wanted({ stripe: '^23.1.0' }), () => 'replace');
    expect(replaced.content).toBe('{\n  "dependencies": {\n    "stripe": "^23.1.0"\n  }\n}\n');
  });

  it.each(['workspace:*', 'catalog:', 'npm:@acme/zod@^3.0.0'])('leaves the %s spec alone', (spec) => {
    const input = `{ "dependencies": { "zod": "${spec}" } }`;
    const result = upsertDependencies(input, wanted({ zod: '^4.0.0' }), keep);
    expect(result).toEqual({ content: input, added: [], conflicts: [] });
  });

  it('keeps CRLF line endings and tabs, and creates a missing field', () => {
    const input = '{\r\n\t"name": "app"\r\n}\r\n';
    expect(upsertDependencies(input, wanted({}, { vitest: '^4.0.0' }), keep).content).toBe(
      '{\r\n\t"name": "app",\r\n\t"devDependencies": {\r\n\t\t"vitest": "^4.0.0"\r\n\t}\r\n}\r\n',
    );
  });

  it('is idempotent', () => {
    const once = upsertDependencies('{}\n', wanted({ express: '^5.1.0' }), keep).content;
    expect(upsertDependencies(once, wanted({ express: '^5.1.0' }), keep).content).toBe(once);
  });

  it('refuses malformed JSON with the line of the problem', () => {
    expect(() => upsertDependencies('{\n  "name": "app",\n}\n', wanted({}), keep)).toThrow(UserError);
    expect(() => upsertDependencies('{\n  "name": "app",\n}\n', wanted({}), keep)).toThrow(
      /package\.json is not valid JSON \(\w+ on line 3\)/,
    );
  });
});
