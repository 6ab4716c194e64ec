import { FileInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconFileUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeployModal } from './deploy-modal.tsx';
import { deployConfiguration, previewConfiguration } from './sandboxes-api.ts';

// Configuration files are small; a bigger one is surely not one.
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** "Apply a configuration file": pick a YAML or JSON export, see what it would change here, deploy it. */
export const ApplyFileModal = ({ onClose }: { onClose(): void }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [document, setDocument] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const preview = useMutation({ mutationFn: previewConfiguration });

  const onFile = async (picked: File | null) => {
    setFile(picked);
    setDocument(null);
    setFileError(null);
    preview.reset();
    if (!picked) return;
    if (picked.size > MAX_FILE_BYTES) {
      setFileError(t('sandboxes.apply.tooLarge'));
      return;
    }
    const text = await picked.text();
    setDocument(text);
    preview.mutate(text);
  };

  return (
    <DeployModal
      title={t('sandboxes.apply.title')}
      description={t('sandboxes.apply.description')}
      diff={preview.data}
      isLoading={preview.isPending}
      error={preview.error}
      onRefresh={() => document !== null && preview.mutate(document)}
      onDeploy={async (fingerprint) => {
        const deployment = await deployConfiguration(document ?? '', fingerprint);
        // Objects, fields, layouts and the deployment history all changed.
        await queryClient.invalidateQueries();
        return deployment;
      }}
      onClose={onClose}
    >
      <FileInput
        label={t('sandboxes.apply.file')}
        description={t('sandboxes.apply.fileHelp')}
        placeholder={t('sandboxes.apply.pick')}
        accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
        leftSection={<IconFileUpload size={16} aria-hidden />}
        value={file}
        onChange={(picked) => void onFile(picked)}
        error={fileError}
        clearable
        clearButtonProps={{ 'aria-label': t('sandboxes.apply.clear') }}
      />
    </DeployModal>
  );
};
