import type { CreateSandboxInput } from '@rapport/common';
import { Alert, Button, Group, Modal, NumberInput, Radio, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../../components/ui/notify.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { createSandbox, sandboxesQueryKey } from './sandboxes-api.ts';

const DEFAULT_SAMPLE_SIZE = 100;
const MAX_SAMPLE_SIZE = 10_000;

/** "New sandbox": its name, and whether it gets a sample of each object's records or the configuration only. */
export const NewSandboxModal = ({ onClose }: { onClose(): void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [input, setInput] = useState<Required<CreateSandboxInput>>({ name: '', data: 'none', sampleSize: DEFAULT_SAMPLE_SIZE });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const create = useMutation({
    mutationFn: () => createSandbox({ name: input.name.trim(), data: input.data, ...(input.data === 'sample' ? { sampleSize: input.sampleSize } : {}) }),
    onSuccess: async (sandbox) => {
      await queryClient.invalidateQueries({ queryKey: sandboxesQueryKey });
      notify({ message: t('sandboxes.created', { name: sandbox.name }) });
      onClose();
    },
    onError: (error) => setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'data', 'sampleSize'])),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors(NO_ERRORS);
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('sandboxes.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput
            label={t('sandboxes.name')}
            description={t('sandboxes.nameHelp')}
            required
            maxLength={200}
            value={input.name}
            onChange={(event) => setInput({ ...input, name: event.currentTarget.value })}
            error={errors.byField.name}
            data-autofocus
          />
          <Radio.Group label={t('sandboxes.data')} value={input.data} onChange={(value) => setInput({ ...input, data: value === 'sample' ? 'sample' : 'none' })} error={errors.byField.data}>
            <Stack gap={6} mt={6}>
              <Radio value="none" label={t('sandboxes.dataNone')} description={t('sandboxes.dataNoneHelp')} />
              <Radio value="sample" label={t('sandboxes.dataSample')} description={t('sandboxes.dataSampleHelp')} />
            </Stack>
          </Radio.Group>
          {input.data === 'sample' ? (
            <NumberInput
              label={t('sandboxes.sampleSize')}
              description={t('sandboxes.sampleSizeHelp')}
              min={1}
              max={MAX_SAMPLE_SIZE}
              allowDecimal={false}
              value={input.sampleSize}
              onChange={(value) => setInput({ ...input, sampleSize: typeof value === 'number' ? value : DEFAULT_SAMPLE_SIZE })}
              error={errors.byField.sampleSize}
            />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={create.isPending} disabled={!input.name.trim()}>{t('sandboxes.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};
