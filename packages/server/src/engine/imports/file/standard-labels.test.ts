import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStandardLabels } from './standard-labels.ts';

describe('loadStandardLabels', () => {
  it("reads the standard labels of the web app's five languages", () => {
    const labels = loadStandardLabels();
    expect(labels.map((locale) => locale.language)).toEqual(expect.arrayContaining(['de', 'en', 'fr', 'ru', 'zh']));
    const fr = labels.find((locale) => locale.language === 'fr')!;
    expect(fr.fields.person?.firstName).toBe('Prénom');
    expect(fr.objects.company?.singular).toBe('Entreprise');
    expect(fr.addressParts.postalCode).toBe('Code postal');
  });

  it('is empty, not an error, where the web sources are missing', () => {
    expect(loadStandardLabels(resolve(import.meta.dirname, 'no-such-folder'))).toEqual([]);
  });
});
