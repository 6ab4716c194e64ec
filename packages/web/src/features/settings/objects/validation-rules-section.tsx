import type { ObjectDefinition, ValidationRule } from '@rapport/common';
import { ActionIcon, Alert, Button, Code, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../api/client.ts';
import { fieldErrorMessage, problemMessage } from '../../../api/problem-messages.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useLabels } from '../../object-record/labels.ts';
import { notifyDeleted } from './deleted-notice.tsx';
import { metadataPath, updateObject, useMetadataRefresh } from './designer-api.ts';
import { moveItem } from './designer-model.ts';
import { ExpressionInput } from './expression-input.tsx';
import {
  emptyRuleDraft,
  missingRuleInputs,
  ruleDraftOf,
  ruleErrorTarget,
  toValidationRule,
  withoutRule,
  withRule,
  withRuleAt,
  type RuleDraft,
  type RuleInput,
} from './validation-rules-model.ts';

// The select's value for "above the form" (no field): not an API name, so no field can take it.
const WHOLE_RECORD = '*';

/** Saves the object's whole list of rules (the API replaces it). */
const saveRules = (object: string, rules: ValidationRule[]) => updateObject(object, { validationRules: rules });

interface RuleEditorProps {
  object: ObjectDefinition;
  /** The rule's position in the list; null for a new rule (added at the end). */
  index: number | null;
  onClose(): void;
}

/** Adds or edits one rule: its condition (checked live), its message and where the message shows. */
const RuleEditorForm = ({ object, index, onClose }: RuleEditorProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const refresh = useMetadataRefresh();
  const rules = object.validationRules ?? [];
  const saved = index === null ? undefined : rules[index];
  const [draft, setDraft] = useState<RuleDraft>(() => (saved ? ruleDraftOf(saved) : emptyRuleDraft()));
  const [errors, setErrors] = useState<Partial<Record<RuleInput, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [isBusy, setIsBusy] = useState(false);
  const position = index ?? rules.length;
  const set = (input: RuleInput, value: string) => {
    setDraft((previous) => ({ ...previous, [input]: value }));
    if (errors[input]) setErrors(({ [input]: _removed, ...rest }) => rest);
  };
  const fieldOptions = [
    { value: WHOLE_RECORD, label: t('designer.objectRules.aboveForm') },
    ...object.fields.filter((field) => !field.isSystem && !field.isReadOnly).map((field) => ({ value: field.name, label: labels.field(object, field) })),
    // A field renamed or deleted since keeps its name here until another is chosen.
    ...(draft.field && !object.fields.some((field) => field.name === draft.field) ? [{ value: draft.field, label: draft.field }] : []),
  ];

  const showApiErrors = (error: unknown) => {
    if (!isApiError(error) || error.fieldErrors.length === 0) {
      setGeneral([problemMessage(t, error)]);
      return;
    }
    const byInput: Partial<Record<RuleInput, string>> = {};
    const others: string[] = [];
    for (const fieldError of error.fieldErrors) {
      const target = ruleErrorTarget(fieldError.field);
      const message = fieldErrorMessage(t, i18n.resolvedLanguage ?? 'en', fieldError);
      if (target && target.index === position) byInput[target.input] = byInput[target.input] ? `${byInput[target.input]} ${message}` : message;
      else others.push(message);
    }
    setErrors(byInput);
    setGeneral(others);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setGeneral([]);
    const missing = missingRuleInputs(draft);
    if (missing.length > 0) {
      setErrors(Object.fromEntries(missing.map((input) => [input, t(`designer.objectRules.${input}Required`)])));
      return;
    }
    setIsBusy(true);
    setErrors({});
    try {
      await saveRules(object.name, withRule(rules, index, toValidationRule(draft)));
      await refresh(object.name);
      notify({ message: t(index === null ? 'designer.objectRules.created' : 'designer.objectRules.saved', { n: position + 1 }) });
      onClose();
    } catch (error) {
      showApiErrors(error);
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {general.length > 0 ? (
          <Alert color="red" role="alert" title={t('designer.objectRules.notSaved')}>
            {general.map((message) => <div key={message}>{message}</div>)}
          </Alert>
        ) : null}
        <ExpressionInput
          object={object.name}
          label={t('designer.objectRules.expression')}
          description={t('designer.objectRules.expressionHelp')}
          required
          value={draft.expression}
          onChange={(value) => set('expression', value)}
          kind="rule"
          error={errors.expression}
        />
        <TextInput
          label={t('designer.objectRules.message')}
          description={t('designer.objectRules.messageHelp')}
          required
          value={draft.message}
          onChange={(event) => set('message', event.currentTarget.value)}
          error={errors.message}
        />
        <Select
          label={t('designer.objectRules.field')}
          description={t('designer.objectRules.fieldHelp')}
          data={fieldOptions}
          value={draft.field || WHOLE_RECORD}
          onChange={(value) => set('field', !value || value === WHOLE_RECORD ? '' : value)}
          allowDeselect={false}
          searchable
          error={errors.field}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={isBusy}>{index === null ? t('designer.objectRules.add') : t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

/** Settings › Objects › one object › Validation rules: conditions every record must meet to be saved. */
export const ValidationRulesSection = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const refresh = useMetadataRefresh();
  const rules = object.validationRules ?? [];
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const tableRef = useRef<HTMLTableElement>(null);
  // After a move, focus follows the rule to its new row (the button that moved it, or its other arrow at an end).
  const [focusAfterMove, setFocusAfterMove] = useState<{ index: number; direction: 'up' | 'down' } | null>(null);

  useEffect(() => {
    if (!focusAfterMove) return;
    const { index, direction } = focusAfterMove;
    const find = (which: string) => tableRef.current?.querySelector<HTMLButtonElement>(`[data-rule-action="${which}-${index}"]:not(:disabled)`);
    const button = find(direction) ?? find(direction === 'up' ? 'down' : 'up');
    if (!button) return; // the moved list has not rendered yet
    button.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove, rules]);

  const change = async (next: ValidationRule[]) => {
    setIsBusy(true);
    try {
      await saveRules(object.name, next);
      await refresh(object.name);
      return true;
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
      return false;
    } finally {
      setIsBusy(false);
    }
  };

  const move = async (index: number, direction: 'up' | 'down') => {
    const to = direction === 'up' ? index - 1 : index + 1;
    if (await change(moveItem(rules, index, to))) setFocusAfterMove({ index: to, direction });
  };

  const remove = async (index: number) => {
    const rule = rules[index]!;
    if (!(await change(withoutRule(rules, index)))) return;
    notifyDeleted(
      {
        message: t('designer.objectRules.deleted', { n: index + 1 }),
        undoLabel: t('designer.undo'),
        onUndo: async () => {
          try {
            // The list as it is now: someone may have changed it since.
            const current = await api.get<ObjectDefinition>(metadataPath.object(object.name));
            await saveRules(object.name, withRuleAt(current.validationRules ?? [], index, rule));
            await refresh(object.name);
            notify({ message: t('designer.objectRules.restored', { n: index + 1 }) });
          } catch (error) {
            notify({ message: problemMessage(t, error), color: 'red' });
          }
        },
      },
      t('common.close'),
    );
  };

  const shownNextTo = (rule: ValidationRule) => {
    if (!rule.field) return t('designer.objectRules.aboveForm');
    const field = object.fields.find((candidate) => candidate.name === rule.field);
    return field ? labels.field(object, field) : rule.field;
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="object-rules">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="object-rules">{t('designer.objectRules.title')}</Title>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>{t('designer.objectRules.add')}</Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">{t('designer.objectRules.help')}</Text>
      {rules.length === 0 ? (
        <Text size="sm">{t('designer.objectRules.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table ref={tableRef} verticalSpacing="xs" aria-labelledby="object-rules">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>{t('designer.objectRules.order')}</Table.Th>
                <Table.Th>{t('designer.objectRules.expression')}</Table.Th>
                <Table.Th>{t('designer.objectRules.message')}</Table.Th>
                <Table.Th>{t('designer.objectRules.shownNextTo')}</Table.Th>
                <Table.Th>{t('designer.objects.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((rule, index) => {
                const n = index + 1;
                return (
                  <Table.Tr key={`${index}-${rule.expression}`} data-rule={n}>
                    <Table.Td>{n}</Table.Td>
                    <Table.Td><Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{rule.expression}</Code></Table.Td>
                    <Table.Td>{rule.message}</Table.Td>
                    <Table.Td>{shownNextTo(rule)}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <ActionIcon variant="subtle" color="gray" data-rule-action={`up-${index}`} disabled={isBusy || index === 0} onClick={() => void move(index, 'up')} aria-label={t('designer.objectRules.moveUp', { n })}>
                          <IconArrowUp size={16} aria-hidden />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="gray" data-rule-action={`down-${index}`} disabled={isBusy || index === rules.length - 1} onClick={() => void move(index, 'down')} aria-label={t('designer.objectRules.moveDown', { n })}>
                          <IconArrowDown size={16} aria-hidden />
                        </ActionIcon>
                        <ActionIcon variant="subtle" onClick={() => setEditing(index)} aria-label={t('designer.objectRules.editLabel', { n })}>
                          <IconPencil size={16} aria-hidden />
                        </ActionIcon>
                        <ActionIcon variant="subtle" color="red" disabled={isBusy} onClick={() => void remove(index)} aria-label={t('designer.objectRules.deleteLabel', { n })}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' || editing === null ? t('designer.objectRules.createTitle') : t('designer.objectRules.editTitle', { n: editing + 1 })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        size="lg"
      >
        {editing !== null ? <RuleEditorForm key={String(editing)} object={object} index={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      </Modal>
    </Paper>
  );
};
