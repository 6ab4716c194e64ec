import { describe, expect, it } from 'vitest';
import { requiredFeatures } from './licence-gate.ts';

describe('requiredFeatures', () => {
  it('should ask what the route declares, and api of any call made with a user key', () => {
    expect(requiredFeatures({ declared: ['records.read'], isApiKey: false })).toEqual(['records.read']);
    expect(requiredFeatures({ declared: ['records.read'], isApiKey: true })).toEqual(['api', 'records.read']);
    expect(requiredFeatures({ declared: [], isApiKey: false })).toEqual([]);
    expect(requiredFeatures({ declared: ['admin', 'export'], isApiKey: false })).toEqual(['admin', 'export']);
  });

  it('should ask api once when the route itself declares it (minting a key with a key)', () => {
    expect(requiredFeatures({ declared: ['api'], isApiKey: true })).toEqual(['api']);
  });
});
