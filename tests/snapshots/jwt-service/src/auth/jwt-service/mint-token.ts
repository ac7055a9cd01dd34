import { ENV_FILE, readPluginEnv } from '../../env.js';
import { describeEnvProblems } from '../../lib/errors.js';
import { jwtServiceEnv } from './jwt-service.schema.js';
import { createJwtService } from './jwt-service.service.js';

// Prints a token signed with this app's JWT settings, for a person or a service that has no other
// way to sign in (with google-auth, users get theirs from the sign-in). Usage:
//   npx tsx --env-file=.env src/auth/jwt-service/mint-token.ts <subject> [--admin]
// The token lives JWT_EXPIRES_IN (default 1h), at most JWT_MAX_AGE: mint a new one when it expires.

const args = process.argv.slice(2);
const subject = args.find((arg) => !arg.startsWith('--'));
const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--admin');

const settings = readPluginEnv(jwtServiceEnv, process.env);

if (subject === undefined || unknown.length > 0) {
  console.error('Usage: mint-token <subject> [--admin]   (the subject is the user id or e-mail the token speaks for)');
  process.exitCode = 1;
} else if (settings.ok === false) {
  console.error(
    `jwt-service is not configured: ${describeEnvProblems(settings)}. Set it in ${ENV_FILE} and pass --env-file=${ENV_FILE} to tsx (or node), or set it in the environment.`,
  );
  process.exitCode = 1;
} else {
  const roles = args.includes('--admin') ? ['admin'] : [];
  console.log(createJwtService(settings.config).signToken({ sub: subject, roles }));
}
