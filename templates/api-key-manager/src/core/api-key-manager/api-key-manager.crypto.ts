import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
// 96 bits, the IV size GCM is built for; a fresh random one per key, so one encryption key can seal many.
const IV_BYTES = 12;
const AUTH_TAG_BYTES = 16;

/** A key as stored. Only the ciphertext is secret, and it is useless without API_KEY_ENCRYPTION_KEY. */
export interface SealedKey {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
}

/** AES-256-GCM under API_KEY_ENCRYPTION_KEY. */
export interface KeyCipher {
  /** Encrypts a key for the row `id`; the id is authenticated too, so a ciphertext copied to another row does not decrypt. */
  seal(plaintext: string, id: string): SealedKey;
  /** Throws when anything was altered or API_KEY_ENCRYPTION_KEY is not the key it was sealed with. */
  open(sealed: SealedKey, id: string): string;
}

/** Builds the cipher from API_KEY_ENCRYPTION_KEY (32 bytes in base64, checked by the env schema). */
export function createKeyCipher(encryptionKey: string): KeyCipher {
  const key = Buffer.from(encryptionKey, 'base64');
  return {
    seal(plaintext, id) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: AUTH_TAG_BYTES });
      cipher.setAAD(Buffer.from(id));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { ciphertext, iv, authTag: cipher.getAuthTag() };
    },
    open({ ciphertext, iv, authTag }, id) {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: AUTH_TAG_BYTES });
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    },
  };
}

/** Enough to recognise a key (`sk-…abcd`) without revealing it: its kind prefix and last four characters. */
export function maskKey(key: string): string {
  const prefix = /^[A-Za-z]{1,10}[-_]/.exec(key)?.[0] ?? '';
  // Four characters of a short key would give away too much of it.
  const tail = key.length >= 16 ? key.slice(-4) : '';
  return `${prefix}…${tail}`;
}
