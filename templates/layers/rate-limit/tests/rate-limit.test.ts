import { describe, expect, it } from 'vitest';
import { SettingsError } from '../src/env.js';
import { createRateLimit } from '../src/lib/rate-limit.js';

describe('createRateLimit', () => {
  it('refuses a RATE_LIMIT_PER_MINUTE that is not a whole number above 0 with a settings error naming it', () => {
    for (const value of ['abc', '0', '-5', '1.5']) {
      const attempt = () => createRateLimit({ RATE_LIMIT_PER_MINUTE: value });
      expect(attempt).toThrow(SettingsError);
      expect(attempt).toThrow(`RATE_LIMIT_PER_MINUTE must be a whole number above 0 (it is "${value}").`);
    }
  });

  it('accepts a whole number, and no value at all', () => {
    expect(createRateLimit({ RATE_LIMIT_PER_MINUTE: '30' })).toBeTypeOf('function');
    expect(createRateLimit({})).toBeTypeOf('function');
  });

  it('refuses a RATE_LIMIT_FAIL_OPEN other than true or false with a settings error naming it', () => {
    const attempt = () => createRateLimit({ RATE_LIMIT_FAIL_OPEN: 'yes' });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow('RATE_LIMIT_FAIL_OPEN must be true or false (it is "yes").');
    expect(createRateLimit({ RATE_LIMIT_FAIL_OPEN: 'true' })).toBeTypeOf('function');
  });
});
