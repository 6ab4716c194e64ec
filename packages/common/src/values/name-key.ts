/**
 * A country or place name reduced for matching: no accents, lower case, words separated by one space,
 * without a leading article ("the", "la", "l'", "die"...). `Côte d'Ivoire` and `cote d ivoire` meet.
 */
export const toNameKey = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^(the|la|le|les|l|die|der|das) /, '');
