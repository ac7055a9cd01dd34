import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registry } from '../../generators/index.js';
import { createClackPrompter } from '../../src/cli/clack-prompter.js';
import { CancelledError } from '../../src/errors.js';

const DOWN = '\x1b[B';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A fake terminal of `columns` width (none: not a TTY), recording every line drawn on it. */
function fakeTerminal(columns: number | undefined) {
  const chunks: string[] = [];
  const output = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  Object.assign(output, { columns, rows: 60 });
  const input = new PassThrough();
  // clack redraws changed lines in place, one write per line, so each write splits into whole lines.
  const lines = () => chunks.flatMap((chunk) => stripVTControlCharacters(chunk).split('\n'));
  return { prompter: createClackPrompter({ input, output }), input, lines };
}

describe('the plugin prompt', () => {
  it.each([
    ['120 columns', 120],
    ['100 columns', 100],
    ['80 columns', 80],
    ['60 columns', 60],
    ['40 columns', 40],
    ['a stream with no width (80 columns)', undefined],
  ])('keeps every hint on its option line inside %s, with code spans unquoted', async (_name, columns) => {
    // clack measures its frame with the colour codes in, so a coloured terminal has less room.
    vi.stubEnv('FORCE_COLOR', '1');
    const terminal = fakeTerminal(columns);
    const answer = terminal.prompter.plugins(registry);
    // Move over every option, so each one is drawn with its hint; then select the last and submit.
    terminal.input.write(`${DOWN.repeat(registry.length + 10)} \r`);
    await answer;

    const width = columns ?? 80;
    const lines = terminal.lines();
    for (const line of lines) {
      expect(line.length, line).toBeLessThanOrEqual(width);
      expect(line, line).not.toContain('`');
    }
    // A hint clack had to wrap would leave its option line without the closing parenthesis.
    const optionLines = lines.filter((line) => registry.some((plugin) => line.includes(` ${plugin.name} (`)));
    const withHint = registry.filter((plugin) => optionLines.some((line) => line.includes(` ${plugin.name} (`)));
    if (width >= 80) expect(withHint).toEqual(registry);
    for (const line of optionLines) expect(line, line).toMatch(/^│ {2}[│└] .+\)$/);
  });

  it.each([
    [120, '│  │ ◻ Amazon S3 (Upload, streamed download, delete, presigned URLs and multipart uploads on an S3 bucket…)'],
    [
      300,
      '│  │ ◻ Amazon S3 (Upload, streamed download, delete, presigned URLs and multipart uploads on an S3 bucket; the same routes under /api/storage use the default storage plugin (STORAGE_DEFAULT, else the first configured one))',
    ],
  ])('at %i columns shows Amazon S3 as %j: cut at a word, or whole with its code spans unquoted', async (columns, expected) => {
    const terminal = fakeTerminal(columns);
    const answer = terminal.prompter.plugins(registry);
    terminal.input.write(`${DOWN.repeat(registry.length + 10)}\r`);
    await answer;
    expect(terminal.lines()).toContain(expected);
  });
});

describe('the question frame', () => {
  it('opens with the first question and closes with the outro', async () => {
    const terminal = fakeTerminal(80);
    const answer = terminal.prompter.confirm('Install dependencies now?', true);
    terminal.input.write('\r');
    expect(await answer).toBe(true);
    terminal.prompter.outro('Creating my-api');
    const lines = terminal.lines().filter((line) => line.trim() !== '');
    expect(lines[0]).toBe('┌  create-provider-app');
    expect(lines.at(-1)).toBe('└  Creating my-api');
  });

  it('closes with the cancel message when a question is cancelled', async () => {
    const terminal = fakeTerminal(80);
    const answer = terminal.prompter.plugins(registry);
    terminal.input.write('\x03');
    await expect(answer).rejects.toBeInstanceOf(CancelledError);
    terminal.prompter.cancel('Cancelled. Nothing was written.');
    expect(
      terminal
        .lines()
        .filter((line) => line.trim() !== '')
        .at(-1),
    ).toBe('└  Cancelled. Nothing was written.');
  });

  it('draws no frame when nothing was asked', () => {
    const terminal = fakeTerminal(80);
    terminal.prompter.outro('Creating my-api');
    expect(terminal.lines().join('')).toBe('');
  });
});
