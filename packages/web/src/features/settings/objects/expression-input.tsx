import { Group, Loader, Text, Textarea } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useExpressionCheck, type ExpressionCheck } from './designer-api.ts';

export interface ExpressionInputProps {
  object: string;
  label: string;
  description?: string;
  value: string;
  onChange(value: string): void;
  kind: 'formula' | 'rule';
  resultType?: string;
  /** The field the expression belongs to, once it exists. */
  field?: string;
  /** Check while typing (off for a rule of a field not saved yet: its `value` does not exist yet). */
  isLive?: boolean;
  /** The API's message after a failed save. */
  error?: string | undefined;
  required?: boolean;
}

const RESULT_TYPE_KEYS: Record<string, string> = {
  string: 'text',
  double: 'number',
  int: 'number',
  uint: 'number',
  bool: 'boolean',
  'google.protobuf.Timestamp': 'date',
  timestamp: 'date',
};

/** The checker's first complaint and where in the expression it is (1-based), when known. */
const firstProblem = (check: ExpressionCheck): { message: string; position: number | null } | undefined => {
  const first = check.errors[0];
  return first ? { message: first.message, position: first.position === null ? null : first.position + 1 } : undefined;
};

/** A CEL expression, checked by the server's type checker 300 ms after the last key, with its result or error shown live. */
export const ExpressionInput = ({ object, label, description, value, onChange, kind, resultType, field, isLive = true, error, required }: ExpressionInputProps) => {
  const { t } = useTranslation();
  const statusId = useId();
  const check = useExpressionCheck({ object: isLive ? object : '', expression: value, kind, ...(resultType ? { resultType } : {}), ...(field ? { field } : {}) });
  const result = check.data;
  const problem = isLive && value.trim() !== '' && result && !result.valid ? firstProblem(result) : undefined;
  // The checker's message often names the column already; otherwise the position is added.
  const liveError = problem
    ? problem.position === null || /\d/.test(problem.message)
      ? problem.message
      : t('designer.expression.errorAt', { message: problem.message, position: problem.position })
    : undefined;
  const typeKey = result?.type ? RESULT_TYPE_KEYS[result.type] : undefined;

  return (
    <div>
      <Textarea
        label={label}
        description={description}
        required={required}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        autosize
        minRows={2}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        error={error ?? liveError}
        aria-describedby={statusId}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      />
      <div id={statusId} aria-live="polite">
        {isLive && value.trim() !== '' && check.isFetching ? (
          <Group gap={6} mt={4}>
            <Loader size="xs" aria-hidden />
            <Text size="xs" c="dimmed">{t('designer.expression.checking')}</Text>
          </Group>
        ) : null}
        {isLive && !check.isFetching && result?.valid && !error ? (
          <Group gap={6} mt={4}>
            <IconCircleCheck size={16} color="var(--mantine-color-green-8)" aria-hidden />
            {/* Green text at AA contrast in both schemes (the theme darkens it in the light one). */}
            <Text size="xs" c="var(--mantine-color-green-light-color)">
              {typeKey ? t('designer.expression.validType', { type: t(`designer.resultTypes.${typeKey}` as 'designer.resultTypes.text') }) : t('designer.expression.valid')}
            </Text>
          </Group>
        ) : null}
      </div>
    </div>
  );
};
