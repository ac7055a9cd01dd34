import type { ByteRange } from './storage-provider.js';

// One range: `bytes=0-499`, `bytes=500-` or `bytes=-500`. Fifteen digits at most keep each number
// a safe integer; the unit is case-insensitive (RFC 9110).
const SINGLE_RANGE = /^bytes=(\d{0,15})-(\d{0,15})$/i;
const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;

/**
 * The range a `Range` header asks for, or undefined when the whole object is to be sent: no
 * header, a malformed one, or several ranges. RFC 9110 lets a server answer any of these with the
 * whole object (200), which spares us multipart/byteranges bodies that S3 cannot produce either.
 */
export function parseRangeHeader(header: string | undefined): ByteRange | undefined {
  const match = SINGLE_RANGE.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') return last === '' ? undefined : { suffixLength: Number(last) };
  const start = Number(first);
  if (last === '') return { start };
  const end = Number(last);
  return end >= start ? { start, end } : undefined;
}

/** The `Range` header that asks for `range`. */
export function formatRangeHeader(range: ByteRange): string {
  if ('suffixLength' in range) return `bytes=-${range.suffixLength}`;
  return `bytes=${range.start}-${range.end ?? ''}`;
}

/** Reads `bytes 0-499/1234`; undefined for anything else, such as an unknown size (`/*`). */
export function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = CONTENT_RANGE.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}
