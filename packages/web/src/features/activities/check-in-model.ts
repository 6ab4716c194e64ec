/** A position from the browser, rounded to about a metre: enough to tell a customer's door, no more. */
export const roundPosition = (latitude: number, longitude: number): { lat: number; lng: number } => ({
  lat: Math.round(latitude * 1e5) / 1e5,
  lng: Math.round(longitude * 1e5) / 1e5,
});

/** What a check-in writes on a meeting: when, and where (the address field's lat/lng parts). */
export const checkInPatch = (at: Date, position: { latitude: number; longitude: number } | null): Record<string, unknown> => ({
  checkedInAt: at.toISOString(),
  ...(position ? { checkInLocation: roundPosition(position.latitude, position.longitude) } : {}),
});

/** A link to the position on OpenStreetMap, for a manager looking at the visit. */
export const mapLinkOf = (location: unknown): string | null => {
  if (!location || typeof location !== 'object') return null;
  const { lat, lng } = location as { lat?: unknown; lng?: unknown };
  if (typeof lat !== 'number' || typeof lng !== 'number') return null;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=17/${lat}/${lng}`;
};
