import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretBox, loadMasterKey } from './secret-box.ts';

describe('secret box', () => {
  const box = createSecretBox(randomBytes(32));

  it('should round-trip a secret and never store it in clear', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP');

    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('should give a different ciphertext each time (random IV)', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('should refuse a changed ciphertext and another key', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    const [version, iv, data, tag] = sealed.split('.');
    const flipped = Buffer.from(data!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;

    expect(() => box.open([version, iv, flipped.toString('base64url'), tag].join('.'))).toThrow(/cannot be decrypted/);
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/cannot be decrypted/);
  });
});

describe('master key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-key-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should derive the key from RAPPORT_SECRET, the same on every server', () => {
    const secret = 'x'.repeat(40);

    expect(loadMasterKey({ secret, dataDir: dir })).toEqual(loadMasterKey({ secret, dataDir: join(dir, 'elsewhere') }));
    expect(loadMasterKey({ secret, dataDir: dir }).source).toBe('env');
  });

  it('should refuse a short RAPPORT_SECRET', () => {
    expect(() => loadMasterKey({ secret: 'too-short', dataDir: dir })).toThrow(/at least 32/);
  });

  it('should generate a key file once, readable by its owner only, and reuse it', () => {
    const first = loadMasterKey({ secret: undefined, dataDir: dir });
    const second = loadMasterKey({ secret: undefined, dataDir: dir });

    expect(first.source).toBe('file');
    expect(first.key).toHaveLength(32);
    expect(second.key.equals(first.key)).toBe(true);
    expect(Buffer.from(readFileSync(join(dir, 'secret.key'), 'utf8').trim(), 'base64').equals(first.key)).toBe(true);
    expect(statSync(join(dir, 'secret.key')).mode & 0o077).toBe(0);
  });
});
