import { createHmac, timingSafeEqual } from 'node:crypto';
import { TelephonySignatureError } from './telephony-adapter.ts';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Twilio's request signature (https://www.twilio.com/docs/usage/security#validating-requests): the full URL Twilio
 * requested, then each POST parameter's name and value appended in the sorted order of the names, signed with
 * HMAC-SHA1 under the account's auth token, in base64.
 */
export const computeTwilioSignature = ({ authToken, url, params }: { authToken: string; url: string; params: [name: string, value: string][] }): string => {
  // Sorted by name, code unit order as Twilio's own libraries do; a repeated name keeps its values in order.
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = url + sorted.map(([name, value]) => name + value).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
};

export const verifyTwilioSignature = ({ header, authToken, url, params }: { header: string | undefined; authToken: string; url: string; params: [string, string][] }): void => {
  if (!header) throw new TelephonySignatureError('The request has no X-Twilio-Signature header.');
  const expected = Buffer.from(computeTwilioSignature({ authToken, url, params }), 'base64');
  const given = Buffer.from(header, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TelephonySignatureError('The X-Twilio-Signature does not match: check the auth token, and that the public URL is the one configured at Twilio.');
  }
};
