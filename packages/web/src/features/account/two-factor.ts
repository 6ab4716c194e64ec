import { renderSVG } from 'uqr';

// The QR code library loads with the enrolment screen only, not with the app's first screen.

/** The otpauth:// URL as an SVG QR code in a data URL (the app's CSP allows data: images). */
export const qrCodeDataUrl = (otpauthUrl: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(otpauthUrl, { border: 2 }))}`;

/** The base32 secret in groups of four, easier to type into an authenticator app. */
export const groupSecret = (secret: string): string => secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
