import { describe, expect, it } from 'vitest';
import { type EnvGroup, upsertEnvVars } from '../../src/edits/env-file.js';

const openai: EnvGroup = {
  title: 'OpenAI (openai)',
  vars: [
    { name: 'OPENAI_API_KEY', required: true, secret: true, description: 'API key' },
    { name: 'OPENAI_MODEL', required: false, example: 'gpt-5-mini', description: 'Default model' },
  ],
};

describe('upsertEnvVars', () => {
  it('writes a group with a header, a comment per variable, blank required values and commented optional ones', () => {
    expect(upsertEnvVars('', [openai])).toBe(
      '# OpenAI (openai)\n# [required] API key\nOPENAI_API_KEY=\n# [optional] Default model\n# OPENAI_MODEL=gpt-5-mini\n',
    );
  });

  it('shows the example of a required non-secret variable in its comment, never as its value', () => {
    const region: EnvGroup = { title: 'S3', vars: [{ name: 'AWS_REGION', required: true, example: 'us-east-1', description: 'Region' }] };
    expect(upsertEnvVars('', [region])).toContain('# [required] Region (e.g. us-east-1)\nAWS_REGION=\n');
  });

  it('keeps existing lines byte for byte and separates the new group by one blank line', () => {
    const existing = 'DATABASE_URL=postgres://x  # mine\n';
    const result = upsertEnvVars(existing, [openai]);
    expect(result.startsWith(`${existing}\n# OpenAI (openai)\n`)).toBe(true);
  });

  it('adds a missing final newline before appending', () => {
    expect(upsertEnvVars('A=1', [openai]).startsWith('A=1\n\n# OpenAI')).toBe(true);
  });

  it('treats KEY=, export KEY= and a commented-out # KEY= as already defined', () => {
    const existing = 'export OPENAI_API_KEY=sk-live\n# OPENAI_MODEL=gpt-4o\n';
    expect(upsertEnvVars(existing, [openai])).toBe(existing);
  });

  it('is idempotent', () => {
    const once = upsertEnvVars('PORT=3000\n', [openai]);
    expect(upsertEnvVars(once, [openai])).toBe(once);
  });

  it('keeps CRLF line endings', () => {
    const result = upsertEnvVars('PORT=3000\r\n', [openai]);
    expect(result).toBe(
      'PORT=3000\r\n\r\n# OpenAI (openai)\r\n# [required] API key\r\nOPENAI_API_KEY=\r\n# [optional] Default model\r\n# OPENAI_MODEL=gpt-5-mini\r\n',
    );
  });

  it('writes only the variables that are missing', () => {
    const result = upsertEnvVars('OPENAI_API_KEY=\n', [openai]);
    expect(result).toBe('OPENAI_API_KEY=\n\n# OpenAI (openai)\n# [optional] Default model\n# OPENAI_MODEL=gpt-5-mini\n');
  });
});
