import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import pc from 'picocolors';
import { categoryLabels } from '../../generators/define-plugin.js';
import { CancelledError } from '../errors.js';
import type { Prompter } from './prompter.js';

/** Where the prompts read keys and draw: the process's terminal unless given others. */
export interface Terminal {
  input?: Readable;
  output?: Writable & { columns?: number };
}

/**
 * The terminal prompts, built on @clack/prompts. The first question opens a frame that
 * `outro` or `cancel` closes. Ctrl-C or Escape cancels with nothing written.
 */
export function createClackPrompter(terminal: Terminal = {}): Prompter {
  const io = { input: terminal.input, output: terminal.output };
  let frameOpen = false;
  const openFrame = () => {
    if (!frameOpen) clack.intro('create-provider-app', io);
    frameOpen = true;
  };
  const closeFrame = (close: typeof clack.outro, message: string) => {
    if (frameOpen) close(message, io);
    frameOpen = false;
  };
  // Without a TTY a stream has no width; 80 is what clack assumes then too.
  const columns = () => (terminal.output ?? process.stdout).columns ?? 80;

  return {
    async directory(validate) {
      openFrame();
      return answer(
        await clack.text({
          ...io,
          message: 'Where should the project be created?',
          placeholder: 'my-api',
          defaultValue: 'my-api',
          validate: (value) => validate(value || 'my-api'),
        }),
      );
    },

    async plugins(registry) {
      openFrame();
      const groups: Record<string, { value: string; label: string; hint?: string }[]> = {};
      for (const plugin of registry) {
        const label = categoryLabels[plugin.category];
        const hint = fitHint(plugin.description, columns() - HINT_FRAME - plugin.name.length);
        groups[label] = [...(groups[label] ?? []), { value: plugin.id, label: plugin.name, ...(hint ? { hint } : {}) }];
      }
      return answer(
        await clack.groupMultiselect({
          ...io,
          message: 'Which plugins? (none is fine)',
          options: groups,
          required: false,
        }),
      );
    },

    async confirm(message, initial) {
      openFrame();
      return answer(await clack.confirm({ ...io, message, initialValue: initial }));
    },

    outro: (message) => closeFrame(clack.outro, message),
    cancel: (message) => closeFrame(clack.cancel, message),
  };
}

function answer<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}

/**
 * Columns around a hint on its option's line: the frame `│  `, the group's `│ ◻ ` and the
 * ` (` `)` around the hint, plus the 10 characters of the frame's colour codes, which clack
 * 1.x counts as columns when it wraps. It wraps a longer line twice (with the option's indent,
 * then with the frame's), which breaks the frame's lines, so hints are cut to fit instead.
 */
const HINT_FRAME = 3 + 4 + 3 + 10;
/** Narrower than this, a cut hint says too little to be worth a line. */
const MIN_HINT = 12;

/** A description as a one-line hint of at most `width` columns: code spans styled instead of backticked, cut with an ellipsis. */
function fitHint(description: string, width: number): string | undefined {
  if (width < MIN_HINT) return undefined;
  const parts = description.split('`'); // odd parts are code spans
  const plain = parts.join('');
  const length = plain.length;
  // Cut at a word's end when one is near, leaving a column for the ellipsis.
  const space = plain.lastIndexOf(' ', width - 1);
  let room = length <= width ? length : space > 0 && space > width - 16 ? space : width - 1;
  const kept = parts.map((part, index) => {
    const text = part.slice(0, room);
    room -= text.length;
    return index % 2 === 1 && text ? pc.cyan(text) : text;
  });
  return length <= width ? kept.join('') : `${kept.join('').replace(/[\s,;:(]+$/, '')}…`;
}
