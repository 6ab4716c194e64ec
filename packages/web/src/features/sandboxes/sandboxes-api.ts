import type { ConfigurationDeployment, ConfigurationDiff, CreateSandboxInput, CurrentSandbox, Sandbox } from '@rapport/common';
import { useQuery } from '@tanstack/react-query';
import { api, apiDownload, isApiError } from '../../api/client.ts';
import { fileNameFromDisposition, saveBlob } from '../../api/download.ts';

export type { ConfigurationChange, ConfigurationDeployment, ConfigurationDiff, CreateSandboxInput, CurrentSandbox, Sandbox } from '@rapport/common';

export const sandboxesQueryKey = ['sandboxes'] as const;
export const currentSandboxQueryKey = ['current-sandbox'] as const;
export const deploymentsQueryKey = ['configuration', 'deployments'] as const;

/** GET /sandboxes: the sandboxes made from this workspace. */
export const useSandboxes = () =>
  useQuery({ queryKey: sandboxesQueryKey, queryFn: ({ signal }) => api.get<{ data: Sandbox[] }>('/sandboxes', undefined, signal), select: (result) => result.data });

/** GET /sandboxes/current: whether this workspace is a sandbox, and of which production; null for people the API does not tell. */
export const useCurrentSandbox = (enabled = true) =>
  useQuery({
    queryKey: currentSandboxQueryKey,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<CurrentSandbox>('/sandboxes/current', undefined, signal);
      } catch (error) {
        if (isApiError(error) && (error.status === 403 || error.status === 404)) return null;
        throw error;
      }
    },
    enabled,
    retry: false,
    staleTime: 5 * 60_000,
  });

/** GET /sandboxes/{id}/diff: what deploying the sandbox would change in production; read afresh each time it is shown. */
export const useSandboxDiff = (id: string | undefined) =>
  useQuery({
    queryKey: [...sandboxesQueryKey, id, 'diff'],
    queryFn: ({ signal }) => api.get<ConfigurationDiff>(`/sandboxes/${id}/diff`, undefined, signal),
    enabled: Boolean(id),
    gcTime: 0,
    staleTime: 0,
  });

/** GET /configuration/deployments: newest first. */
export const useDeployments = () =>
  useQuery({
    queryKey: deploymentsQueryKey,
    queryFn: ({ signal }) => api.get<{ data: ConfigurationDeployment[] }>('/configuration/deployments', undefined, signal),
    select: (result) => result.data,
  });

export const createSandbox = (input: CreateSandboxInput) => api.post<Sandbox>('/sandboxes', input);
export const deleteSandbox = (id: string) => api.delete<void>(`/sandboxes/${id}`);
/** Deploys a sandbox to production; with the fingerprint of the compared diff, refused (CONFIGURATION_CHANGED) when production changed since. */
export const deploySandbox = (id: string, fingerprint: string | undefined) => api.post<ConfigurationDeployment>(`/sandboxes/${id}/deploy`, fingerprint ? { fingerprint } : {});
/** What deploying a configuration document (YAML or JSON text) would change here. */
export const previewConfiguration = (document: string) => api.post<ConfigurationDiff>('/configuration/preview', { document });
export const deployConfiguration = (document: string, fingerprint: string | undefined) =>
  api.post<ConfigurationDeployment>('/configuration/deployments', fingerprint ? { document, fingerprint } : { document });
export const rollBackDeployment = (id: string) => api.post<ConfigurationDeployment>(`/configuration/deployments/${id}/rollback`);

export const CONFIGURATION_FILE_NAME = 'rapport-configuration.yaml';

/** Saves this workspace's configuration as the YAML file `GET /configuration` answers. */
export const downloadConfiguration = async () => {
  const response = await apiDownload('/api/v1/configuration?format=yaml', 'application/yaml, text/yaml, */*');
  saveBlob(await response.blob(), fileNameFromDisposition(response.headers.get('content-disposition')) ?? CONFIGURATION_FILE_NAME);
};

/**
 * Moves this browser's session to another workspace the person belongs to (a sandbox, or back to its
 * production), then loads `path` there afresh: caches, live updates, branding and language all follow
 * the new workspace. The API sets the session cookie as sign-in does.
 */
export const switchWorkspace = async ({ workspaceId, path }: { workspaceId: string; path: string }) => {
  await api.post('/auth/switch-workspace', { workspace: workspaceId });
  window.location.assign(path);
};
