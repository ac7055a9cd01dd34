import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { mergeDependencies } from '../../src/plan/merge-dependencies.js';

describe('mergeDependencies', () => {
  it('sorts packages by name', () => {
    const merged = mergeDependencies([{ from: 'base', dependencies: { zod: '^4.0.0', express: '^5.1.0' } }]);
    expect(Object.keys(merged)).toEqual(['express', 'zod']);
  });

  it('keeps the narrowest range that satisfies every request', () => {
    const merged = mergeDependencies([
      { from: 'base', dependencies: { zod: '^3.25.0 || ^4.0.0' } },
      { from: 'plugin', dependencies: { zod: '^4.1.0' } },
    ]);
    expect(merged).toEqual({ zod: '^4.1.0' });
  });

  it('fails naming the package and both requests when ranges do not meet', () => {
    const merge = () =>
      mergeDependencies([
        { from: 'stripe', dependencies: { zod: '^3.22.0' } },
        { from: 'openai', dependencies: { zod: '^4.0.0' } },
      ]);
    expect(merge).toThrow(UserError);
    expect(merge).toThrow('Conflicting versions of zod: stripe wants ^3.22.0, openai wants ^4.0.0');
  });
});
