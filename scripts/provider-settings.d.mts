interface PluginSettings {
  env: readonly { name: string; required?: boolean; example?: string }[];
}
/** Settings that configure every plugin of `registry` and reach no provider (see the .mjs). */
export declare function everyPluginConfigured(registry: readonly PluginSettings[], filler: string): Record<string, string>;
