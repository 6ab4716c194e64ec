import { describe, expect, it, vi } from 'vitest';
import { buildOpenApiDocument } from './build-openapi.ts';
import { createOpenApiCache } from './openapi-cache.ts';
import { buildWorkspaceMeta } from './workspace-meta.factory.ts';

const vehicle = { name: 'vehicle', labelSingular: 'Vehicle', labelPlural: 'Vehicles', fields: [{ name: 'plate', type: 'text' as const, label: 'Plate' }] };

describe('createOpenApiCache', () => {
  it('should build the document once when the metadata version does not move', () => {
    const build = vi.fn(buildOpenApiDocument);
    const cache = createOpenApiCache(build);
    const workspace = buildWorkspaceMeta({ objects: [vehicle], version: 3 });

    const first = cache.get({ workspace });
    const second = cache.get({ workspace: { ...workspace } });

    expect(build).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
  });

  it('should rebuild the document when the metadata version moves', () => {
    const build = vi.fn(buildOpenApiDocument);
    const cache = createOpenApiCache(build);
    const workspace = buildWorkspaceMeta({ objects: [], version: 3 });
    const changed = buildWorkspaceMeta({ objects: [vehicle], version: 4, id: workspace.id });

    cache.get({ workspace });
    const document = cache.get({ workspace: changed });

    expect(build).toHaveBeenCalledTimes(2);
    expect(document.paths['/api/v1/records/vehicle']).toBeDefined();
    expect(document.info.version).toMatch(/\+metadata\.4$/);
  });

  it('should keep one document per workspace when two share a version number', () => {
    const cache = createOpenApiCache();
    const first = buildWorkspaceMeta({ objects: [], name: 'First', version: 1 });
    const second = buildWorkspaceMeta({ objects: [vehicle], name: 'Second', version: 1 });

    expect(cache.get({ workspace: first }).info.title).toBe('Rapport API — First');
    expect(cache.get({ workspace: second }).info.title).toBe('Rapport API — Second');
  });

  it('should rebuild the title when the workspace is renamed without a metadata change', () => {
    const cache = createOpenApiCache();
    const workspace = buildWorkspaceMeta({ objects: [], name: 'Acme', version: 1 });

    cache.get({ workspace });

    expect(cache.get({ workspace: { ...workspace, name: 'Acme Group' } }).info.title).toBe('Rapport API — Acme Group');
  });

  it('should set the server URL of each request without touching the cached document', () => {
    const cache = createOpenApiCache();
    const workspace = buildWorkspaceMeta({ objects: [] });

    const document = cache.get({ workspace, serverUrl: 'https://crm.example.com' });

    expect(document.servers).toEqual([{ url: 'https://crm.example.com' }]);
    expect(cache.get({ workspace }).servers).toEqual([{ url: '/' }]);
  });
});
