import { HttpError } from '../../lib/errors.js';
import type { GoogleAuthConfig, GoogleUser } from './google-auth.schema.js';
import { listSetting } from './google-auth.schema.js';

/** Which Google accounts may sign in, and which of them as admins. */
export interface AccountPolicy {
  /** The roles to put in a signed-in account's token; throws a 403 HttpError for an account this app does not admit. */
  rolesOf(user: GoogleUser): string[];
}

/**
 * Reads ADMIN_EMAILS, GOOGLE_ALLOWED_DOMAINS and GOOGLE_ALLOWED_EMAILS. Only an address Google has
 * verified counts: anyone can create an account that claims an unverified one. With neither
 * allow-list set every Google account may sign in; with one, an account must match it or be an admin.
 */
export function createAccountPolicy(config: GoogleAuthConfig): AccountPolicy {
  const admins = new Set(listSetting(config.ADMIN_EMAILS));
  const allowedEmails = new Set(listSetting(config.GOOGLE_ALLOWED_EMAILS));
  const allowedDomains = new Set(listSetting(config.GOOGLE_ALLOWED_DOMAINS));
  const restricted = allowedEmails.size > 0 || allowedDomains.size > 0;

  function admit(email: string | undefined): void {
    if (email === undefined) {
      throw new HttpError(403, 'Google has not verified the e-mail address of this account, and this app only admits verified addresses.');
    }
    // The domain is the part after the last @, matched exactly: example.org does not admit sub.example.org.
    if (!allowedEmails.has(email) && !allowedDomains.has(email.slice(email.lastIndexOf('@') + 1))) {
      throw new HttpError(
        403,
        `The Google account ${email} may not sign in to this app. Sign in with an account it allows, or ask its administrator.`,
      );
    }
  }

  return {
    rolesOf(user) {
      const email = user.email?.toLowerCase();
      const admin = email !== undefined && admins.has(email);
      if (restricted && !admin) admit(email);
      return admin ? ['admin'] : [];
    },
  };
}
