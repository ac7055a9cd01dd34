// The variables that say where a plugin's provider is, rather than who the app is to it.
const PROVIDER_ADDRESS = /(_BASE_URL|_ENDPOINT|_UPLOAD_PREFIX|_API_BASE|MAILGUN_URL|ENDPOINT_URL_S3)$/;

/**
 * Settings that configure every plugin of `registry` and reach no provider: each required variable
 * gets its documented example (`filler` where the example is elided), each provider address a port
 * nothing listens on (9, discard), and API_KEY_ENCRYPTION_KEY a valid key.
 */
export function everyPluginConfigured(registry, filler) {
  const env = {};
  for (const variable of registry.flatMap((plugin) => plugin.env)) {
    if (PROVIDER_ADDRESS.test(variable.name)) env[variable.name] = 'http://127.0.0.1:9';
    else if (variable.required) env[variable.name] = variable.example && !variable.example.includes('...') ? variable.example : filler;
  }
  env.API_KEY_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
  return env;
}
