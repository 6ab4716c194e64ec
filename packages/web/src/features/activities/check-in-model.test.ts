import { describe, expect, it } from 'vitest';
import { checkInPatch, mapLinkOf, roundPosition } from './check-in-model.ts';

describe('visit check-in', () => {
  it('should keep a position to about a metre', () => {
    expect(roundPosition(48.8583701234, 2.2944813456)).toEqual({ lat: 48.85837, lng: 2.29448 });
  });

  it('should write the time and, with consent, the position', () => {
    const at = new Date('2026-12-02T09:15:00Z');
    expect(checkInPatch(at, { latitude: 51.50072919, longitude: -0.12462 })).toEqual({ checkedInAt: '2026-12-02T09:15:00.000Z', checkInLocation: { lat: 51.50073, lng: -0.12462 } });
    expect(checkInPatch(at, null)).toEqual({ checkedInAt: '2026-12-02T09:15:00.000Z' });
  });

  it('should link a position to a map, and nothing without one', () => {
    expect(mapLinkOf({ lat: 48.85837, lng: 2.29448, city: 'Paris' })).toBe('https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448');
    expect(mapLinkOf({ city: 'Paris', lat: null, lng: null })).toBeNull();
    expect(mapLinkOf(null)).toBeNull();
  });
});
