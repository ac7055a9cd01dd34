import { HttpError } from './errors.js';

/**
 * The part of a zod schema that validation needs. Spelled out rather than `z.ZodType<T>` so
 * that schemas with `.default()` type-check the same under zod 3 and zod 4.
 */
export interface Schema<Output> {
  safeParse(
    value: unknown,
  ): { success: true; data: Output } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

/** Parses a request body, query or params; answers 400 with every issue when it does not match. */
export function validate<T>(schema: Schema<T>, value: unknown): T {
  const result = schema.safeParse(value);
  // `=== true`, not a truthiness test: without strictNullChecks TypeScript would not narrow the failure below.
  if (result.success === true) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  throw new HttpError(400, 'Invalid request.', issues);
}
