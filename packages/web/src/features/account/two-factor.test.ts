import { describe, expect, it } from 'vitest';
import { groupSecret, qrCodeDataUrl } from './two-factor.ts';

describe('two-factor helpers', () => {
  it('should group the secret by four characters', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupSecret('JBSW Y3DP')).toBe('JBSW Y3DP');
  });

  it('should render the otpauth URL as an SVG data URL', () => {
    const url = qrCodeDataUrl('otpauth://totp/Rapport:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Rapport');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    // A version-3 or larger code: dozens of dark modules drawn.
    expect(svg.length).toBeGreaterThan(1000);
  });
});
