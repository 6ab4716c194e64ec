import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signRapportPayload, verifyRapportSignature } from './rapport-signature.ts';
import { TelephonySignatureError } from './telephony-adapter.ts';
import { computeTwilioSignature, verifyTwilioSignature } from './twilio-signature.ts';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = 1_780_000_000;
const BODY = '{"callId":"c1","type":"ringing"}';

describe('Rapport signature', () => {
  it('should accept a signature made with the secret when it is recent', () => {
    const header = signRapportPayload({ secret: SECRET, timestamp: NOW - 60, body: BODY });

    expect(() => verifyRapportSignature({ header, body: BODY, secret: SECRET, now: NOW })).not.toThrow();
  });

  it('should match an HMAC-SHA256 of "t.body" computed by hand', () => {
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');

    expect(signRapportPayload({ secret: SECRET, timestamp: NOW, body: BODY })).toBe(`t=${NOW},v1=${expected}`);
  });

  it('should accept any of several v1 values when a sender rotates its secret', () => {
    const good = signRapportPayload({ secret: SECRET, timestamp: NOW, body: BODY }).split('v1=')[1];
    const header = `t=${NOW},v1=${'0'.repeat(64)},v1=${good}`;

    expect(() => verifyRapportSignature({ header, body: BODY, secret: SECRET, now: NOW })).not.toThrow();
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'sha256=abc'],
    ['of another secret', signRapportPayload({ secret: 'another secret value', timestamp: NOW, body: BODY })],
    ['of another body', signRapportPayload({ secret: SECRET, timestamp: NOW, body: '{}' })],
    ['older than five minutes', signRapportPayload({ secret: SECRET, timestamp: NOW - 301, body: BODY })],
    ['from the future', signRapportPayload({ secret: SECRET, timestamp: NOW + 301, body: BODY })],
  ])('should refuse a signature %s', (_, header) => {
    expect(() => verifyRapportSignature({ header, body: BODY, secret: SECRET, now: NOW })).toThrow(TelephonySignatureError);
  });
});

describe('Twilio signature', () => {
  // Twilio's documented example (docs "Validating requests", the api-snippets repository): auth token 12345.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params: [string, string][] = [['CallSid', 'CA1234567890ABCDE'], ['Caller', '+14158675310'], ['Digits', '1234'], ['From', '+14158675310'], ['To', '+18005551212']];

  it('should reproduce the signature of Twilio\'s documentation', () => {
    expect(computeTwilioSignature({ authToken: '12345', url, params })).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('should sign the URL then the parameters sorted by name, whatever order they came in', () => {
    // Built by hand: URL, then name+value in alphabetical order of names.
    const data = `${url}CallSidCA1234567890ABCDECaller+14158675310Digits1234From+14158675310To+18005551212`;
    const expected = createHmac('sha1', '12345').update(data).digest('base64');

    expect(computeTwilioSignature({ authToken: '12345', url, params: [...params].reverse() })).toBe(expected);
  });

  it('should refuse a missing or wrong signature, or another URL', () => {
    const header = computeTwilioSignature({ authToken: '12345', url, params });

    expect(() => verifyTwilioSignature({ header, authToken: '12345', url, params })).not.toThrow();
    expect(() => verifyTwilioSignature({ header: undefined, authToken: '12345', url, params })).toThrow(TelephonySignatureError);
    expect(() => verifyTwilioSignature({ header, authToken: '54321', url, params })).toThrow(TelephonySignatureError);
    expect(() => verifyTwilioSignature({ header, authToken: '12345', url: `${url}&baz=3`, params })).toThrow(TelephonySignatureError);
  });
});
