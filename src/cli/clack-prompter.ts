import * as clack from '@clack/prompts';
import { categoryLabels } from '../../generators/define-plugin.js';
import { CancelledError } from '../errors.js';
import type { Prompter } from './prompter.js';

/** The terminal prompts, built on @clack/prompts. Ctrl-C or Escape cancels with nothing written. */
export const clackPrompter: Prompter = {
  async directory(validate) {
    clack.intro('create-provider-app');
    return answer(
      await clack.text({
        message: 'Where should the project be created?',
        placeholder: 'my-api',
        defaultValue: 'my-api',
        validate: (value) => validate(value || 'my-api'),
      }),
    );
  },

  async plugins(registry) {
    const groups: Record<string, { value: string; label: string; hint: string }[]> = {};
    for (const plugin of registry) {
      const label = categoryLabels[plugin.category];
      (groups[label] ??= []).push({ value: plugin.id, label: plugin.name, hint: plugin.description });
    }
    return answer(
      await clack.groupMultiselect({
        message: 'Which plugins? (space to select, enter to confirm; none is fine)',
        options: groups,
        required: false,
      }),
    );
  },

  async confirm(message, initial) {
    return answer(await clack.confirm({ message, initialValue: initial }));
  },
};

function answer<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CancelledError();
  return value as Exclude<T, symbol>;
}
