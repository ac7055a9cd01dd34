import type { PluginDefinition } from '../../generators/define-plugin.js';

/** The questions `create` may ask; injected so the flow is testable without a terminal. */
export interface Prompter {
  /** Asks for the target folder; `validate` returns a message for an unusable answer. */
  directory(validate: (value: string) => string | undefined): Promise<string>;
  plugins(registry: readonly PluginDefinition[]): Promise<string[]>;
  confirm(message: string, initial: boolean): Promise<boolean>;
  /** Closes the questions' frame after the last answer; does nothing when nothing was asked. */
  outro(message: string): void;
  /** Closes the questions' frame after the user cancelled; does nothing when nothing was asked. */
  cancel(message: string): void;
}

/** Prompts only on a real terminal, never in CI. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env['CI']);
}
