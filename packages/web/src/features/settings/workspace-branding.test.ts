import { describe, expect, it } from 'vitest';
import { contrastRatio, isReadableWithWhite } from './workspace-branding.ts';

describe('workspace branding', () => {
  it('should compute WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('should tell whether white text is readable on a colour', () => {
    expect(isReadableWithWhite('#0b7285')).toBe(true);
    expect(isReadableWithWhite('#fcc419')).toBe(false);
  });

});
