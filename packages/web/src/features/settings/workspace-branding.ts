/** Relative luminance of a `#rrggbb` colour (WCAG 2.1). */
export const luminanceOf = (hex: string): number => {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return 0;
  const [r, g, b] = match.slice(1).map((part) => {
    const channel = Number.parseInt(part, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** WCAG contrast ratio between two `#rrggbb` colours (1 to 21). */
export const contrastRatio = (a: string, b: string): number => {
  const [light, dark] = [luminanceOf(a), luminanceOf(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

/** White text on buttons of this colour passes WCAG AA (4.5:1). */
export const isReadableWithWhite = (hex: string): boolean => contrastRatio(hex, '#ffffff') >= 4.5;

/** Logos are sent as data URLs of at most this many characters (the API's limit). */
export const MAX_LOGO_LENGTH = 200_000;
