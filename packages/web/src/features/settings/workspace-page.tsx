import { Alert, Button, ColorInput, FileButton, Group, Image, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconPhoto, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { useWorkspaceSettings, workspaceQueryKey, type WorkspaceSettings } from '../../api/queries.ts';
import { notify } from '../../components/ui/notify.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { LANGUAGES } from '../../i18n/languages.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { SettingsTitle } from './settings-layout.tsx';
import { useIsAdmin } from './use-is-admin.ts';
import { isReadableWithWhite, MAX_LOGO_LENGTH } from './workspace-branding.ts';

const CURRENCIES = Intl.supportedValuesOf('currency');
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
const SWATCHES = ['#1864ab', '#0b7285', '#087f5b', '#2b8a3e', '#5f3dc4', '#862e9c', '#a61e4d', '#c92a2a', '#d9480f', '#212529'];
const LOGO_TYPES = 'image/png,image/jpeg,image/gif,image/webp,image/svg+xml';

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });

const WorkspaceForm = ({ settings }: { settings: WorkspaceSettings }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState(settings.name);
  const [logo, setLogo] = useState<string | null>(settings.logo);
  const [color, setColor] = useState(settings.primaryColor ?? '');
  const [currency, setCurrency] = useState(settings.defaultCurrency);
  const [locale, setLocale] = useState(settings.locale);
  const [timezone, setTimezone] = useState(settings.timezone);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [logoError, setLogoError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const pickLogo = async (file: File | null) => {
    setLogoError(null);
    if (!file) return;
    const dataUrl = await readAsDataUrl(file);
    if (dataUrl.length > MAX_LOGO_LENGTH) {
      setLogoError(t('designer.workspace.logoTooLarge', { size: Math.floor((MAX_LOGO_LENGTH * 3) / 4 / 1000) }));
      return;
    }
    setLogo(dataUrl);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const patch: Record<string, unknown> = {};
    if (name.trim() !== settings.name) patch.name = name.trim();
    if (logo !== settings.logo) patch.logo = logo;
    if ((color || null) !== settings.primaryColor) patch.primaryColor = color || null;
    if (currency !== settings.defaultCurrency) patch.defaultCurrency = currency;
    if (locale !== settings.locale) patch.locale = locale;
    if (timezone !== settings.timezone) patch.timezone = timezone;
    if (Object.keys(patch).length === 0) return;
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      const saved = await api.patch<WorkspaceSettings>('/workspace', patch);
      queryClient.setQueryData(workspaceQueryKey, saved);
      notify({ message: t('designer.workspace.saved') });
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'logo', 'primaryColor', 'defaultCurrency', 'locale', 'timezone']));
    } finally {
      setIsBusy(false);
    }
  };

  const isColorValid = /^#[0-9a-f]{6}$/i.test(color);
  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md" maw={720}>
        {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="workspace-branding">
          <Text component="h2" fw={700} size="lg" id="workspace-branding" mb="sm">{t('designer.workspace.branding')}</Text>
          <Stack gap="md">
            <TextInput label={t('designer.workspace.name')} description={t('designer.workspace.nameHelp')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.byField.name} />
            <div>
              <Text size="sm" fw={500} id="workspace-logo-label">{t('designer.workspace.logo')}</Text>
              <Text size="xs" c="dimmed" mb="xs">{t('designer.workspace.logoHelp', { size: Math.floor((MAX_LOGO_LENGTH * 3) / 4 / 1000) })}</Text>
              <Group gap="md" align="center">
                <Paper withBorder radius="sm" w={72} h={72} style={{ display: 'grid', placeItems: 'center', overflow: 'hidden' }}>
                  {logo ? <Image src={logo} alt={t('designer.workspace.logoPreview')} fit="contain" w={64} h={64} /> : <IconPhoto size={28} color="var(--mantine-color-dimmed)" aria-hidden />}
                </Paper>
                <FileButton onChange={(file) => void pickLogo(file)} accept={LOGO_TYPES}>
                  {(props) => <Button variant="default" {...props} aria-describedby="workspace-logo-label">{logo ? t('designer.workspace.replaceLogo') : t('designer.workspace.uploadLogo')}</Button>}
                </FileButton>
                {logo ? (
                  <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setLogo(null)}>{t('designer.workspace.removeLogo')}</Button>
                ) : null}
              </Group>
              {logoError || errors.byField.logo ? <Text size="sm" c="var(--mantine-color-error)" role="alert" mt={4}>{logoError ?? errors.byField.logo}</Text> : null}
            </div>
            <ColorInput
              label={t('designer.workspace.color')}
              description={t('designer.workspace.colorHelp')}
              placeholder="#1864ab"
              format="hex"
              swatches={SWATCHES}
              value={color}
              onChange={setColor}
              error={errors.byField.primaryColor ?? (color && !isColorValid ? t('designer.workspace.colorInvalid') : undefined)}
              eyeDropperButtonProps={{ 'aria-label': t('designer.workspace.eyeDropper') }}
            />
            {color && isColorValid && !isReadableWithWhite(color) ? <Alert color="yellow" role="status">{t('designer.workspace.lowContrast')}</Alert> : null}
          </Stack>
        </Paper>
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="workspace-defaults">
          <Text component="h2" fw={700} size="lg" id="workspace-defaults" mb="sm">{t('designer.workspace.defaults')}</Text>
          <Stack gap="md">
            <Select label={t('designer.workspace.currency')} description={t('designer.workspace.currencyHelp')} data={CURRENCIES} searchable value={currency} onChange={(value) => value && setCurrency(value)} allowDeselect={false} error={errors.byField.defaultCurrency} />
            <Select label={t('designer.workspace.locale')} description={t('designer.workspace.localeHelp')} data={LANGUAGES.map((language) => ({ value: language.code, label: language.name }))} value={locale} onChange={(value) => value && setLocale(value)} allowDeselect={false} error={errors.byField.locale} />
            <Select label={t('designer.workspace.timezone')} description={t('designer.workspace.timezoneHelp')} data={TIME_ZONES} searchable limit={200} value={timezone} onChange={(value) => value && setTimezone(value)} allowDeselect={false} error={errors.byField.timezone} />
          </Stack>
        </Paper>
        <Group justify="flex-end">
          <Button type="submit" loading={isBusy}>{t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

/** Settings › Workspace: name, logo and colour (used by the app's header and buttons), default currency, language and time zone. */
export const WorkspacePage = () => {
  const { t } = useTranslation();
  const { data: settings, isLoading, error } = useWorkspaceSettings();
  const isAdmin = useIsAdmin();
  useDocumentTitle(t('designer.workspace.title'));
  return (
    <Stack gap="md">
      <SettingsTitle>{t('designer.workspace.title')}</SettingsTitle>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {settings ? <WorkspaceForm key={settings.updatedAt} settings={settings} /> : null}
      {isAdmin ? (
        <Paper withBorder radius="md" p="md" component="section" aria-labelledby="workspace-export" maw={720}>
          <Text component="h2" fw={700} size="lg" id="workspace-export" mb="xs">{t('designer.workspace.exportTitle')}</Text>
          <Text size="sm" c="dimmed" mb="md" id="workspace-export-help">{t('designer.workspace.exportHelp')}</Text>
          {/* A plain download: the browser streams the archive to disk (GET /workspace/export). */}
          <Button component="a" href="/api/v1/workspace/export" download variant="default" leftSection={<IconDownload size={16} aria-hidden />} aria-describedby="workspace-export-help">
            {t('designer.workspace.exportButton')}
          </Button>
        </Paper>
      ) : null}
    </Stack>
  );
};
