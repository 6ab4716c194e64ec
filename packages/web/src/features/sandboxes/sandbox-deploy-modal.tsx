import type { ConfigurationDiff } from '@rapport/common';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DeployModal } from './deploy-modal.tsx';
import { deploySandbox, useSandboxDiff, type Sandbox } from './sandboxes-api.ts';

/**
 * Deploys a sandbox to production. With `diff` (the compare screen already has it) that preview is
 * confirmed as it is; otherwise the modal reads it.
 */
export const SandboxDeployModal = ({ sandbox, productionName, diff, onClose }: { sandbox: Sandbox; productionName: string; diff?: { data: ConfigurationDiff | undefined; refetch(): void }; onClose(): void }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const own = useSandboxDiff(diff ? undefined : sandbox.id);
  return (
    <DeployModal
      title={t('sandboxes.deploy.title', { name: sandbox.name })}
      description={t('sandboxes.deploy.description', { name: sandbox.name, production: productionName })}
      diff={diff ? diff.data : own.data}
      isLoading={diff ? false : own.isLoading}
      error={diff ? null : own.error}
      onRefresh={() => (diff ? diff.refetch() : void own.refetch())}
      onDeploy={async (fingerprint) => {
        const deployment = await deploySandbox(sandbox.id, fingerprint);
        // Production's objects and fields changed, and so did the sandbox's "last deployed".
        await queryClient.invalidateQueries();
        return deployment;
      }}
      onClose={onClose}
    />
  );
};
