import { createHmac } from 'node:crypto';

/** The JWT_SECRET the end-to-end apps run with. */
export const JWT_SECRET = 'e2e-jwt-secret-0123456789abcdefghijklmnop';

/**
 * `Bearer <an admin's HS256 token>`, as a project's jwt-service would issue it with JWT_SECRET:
 * signed here by hand, because the apps under test are separate installs.
 */
export function adminAuthorization(secret = JWT_SECRET): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: 'e2e', roles: ['admin'], iat: now, exp: now + 600 })}`;
  return `Bearer ${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
