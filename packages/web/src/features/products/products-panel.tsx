import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Alert, Button, Group, NumberInput, Paper, Skeleton, Stack, Switch, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys, useWorkspaceSettings } from '../../api/queries.ts';
import type { ApiRecord, RecordPage } from '../../api/types.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { RelationInput } from '../field-types/relation-input.tsx';
import { canOn, findObject } from '../object-record/metadata.ts';
import { dealCurrencyOf, reorderMoves, sortLines, sumLines, type LineItem } from './products-model.ts';

const LINES = 'opportunityLineItem';

export interface ProductsPanelProps {
  object: ObjectDefinition;
  record: ApiRecord;
  objects: readonly ObjectDefinition[];
}

/**
 * An opportunity's product lines (FEATURES D4) as an editable grid: product (picked with search), name, quantity,
 * unit price (the server defaults it from the deal's price book or the product), discount, tax and line total; custom
 * lines, removal and reordering; the sums, and whether the deal's amount follows them. Other objects: nothing.
 */
/** A deal's line items are edited in the products panel, not listed again as a related list. */
export const isShownByProductsPanel = (object: ObjectDefinition, field: FieldDefinition): boolean =>
  object.name === 'opportunity' && field.name === 'lineItems' && field.options?.target === LINES;

export const ProductsPanel = ({ object, record, objects }: ProductsPanelProps) => {
  const lineObject = findObject(objects, LINES);
  if (object.name !== 'opportunity' || !lineObject || !object.fields.some((field) => field.name === 'lineItems')) return null;
  return <LinesPanel deal={object} lineObject={lineObject} record={record} objects={objects} />;
};

const LinesPanel = ({ deal, lineObject, record, objects }: { deal: ObjectDefinition; lineObject: ObjectDefinition; record: ApiRecord; objects: readonly ObjectDefinition[] }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const workspace = useWorkspaceSettings();
  const [error, setError] = useState<unknown>(null);
  const [picking, setPicking] = useState('');
  const productField = lineObject.fields.find((field) => field.name === 'product');
  const canEdit = canOn(deal, 'update') && canOn(lineObject, 'update');
  const canAdd = canOn(deal, 'update') && canOn(lineObject, 'create');
  const canRemove = canOn(deal, 'update') && canOn(lineObject, 'delete');

  const lines = useQuery({
    queryKey: [...queryKeys.records(LINES), 'of-deal', record.id],
    queryFn: ({ signal }) =>
      api.post<RecordPage>(`/records/${LINES}/query`, { filter: { field: 'opportunity', op: 'eq', value: record.id }, sort: ['position'], limit: 200 }, { signal }),
  });
  const priceBook = useQuery({
    queryKey: [...queryKeys.records('priceBook'), 'one', String(record.priceBook)],
    enabled: typeof record.priceBook === 'string',
    queryFn: ({ signal }) => api.get<ApiRecord>(`/records/priceBook/${encodeURIComponent(String(record.priceBook))}`, undefined, signal),
  });
  const ordered = useMemo(() => sortLines((lines.data?.data ?? []) as LineItem[]), [lines.data]);
  // The lines' products, so each picker names its product.
  const productIds = useMemo(() => [...new Set(ordered.map((line) => line.product).filter((id): id is string => typeof id === 'string'))].sort(), [ordered]);
  const products = useQuery({
    queryKey: [...queryKeys.records('product'), 'of-lines', productIds],
    enabled: productIds.length > 0,
    queryFn: ({ signal }) => api.post<RecordPage>('/records/product/query', { filter: { field: 'id', op: 'in', value: productIds }, limit: 200 }, { signal }),
  });
  const productsById = useMemo(() => new Map((products.data?.data ?? []).map((product) => [product.id, product])), [products.data]);
  const sums = useMemo(() => sumLines(ordered), [ordered]);
  const currency = dealCurrencyOf({
    lines: ordered,
    deal: record,
    priceBookCurrency: typeof priceBook.data?.currency === 'string' ? priceBook.data.currency : undefined,
    defaultCurrency: workspace.data?.defaultCurrency,
  });
  const overridden = record.amountOverridden === true;

  const refresh = async () => {
    await Promise.all([client.invalidateQueries({ queryKey: queryKeys.records(LINES) }), client.invalidateQueries({ queryKey: queryKeys.records(deal.name) })]);
  };
  const mutation = useMutation({
    mutationFn: async (run: () => Promise<unknown>) => run(),
    onMutate: () => setError(null),
    onError: (failure) => setError(failure),
    onSettled: refresh,
  });
  const save = (run: () => Promise<unknown>) => mutation.mutate(run);

  const addProduct = (productId: string) => {
    setPicking(productId);
    if (!productId) return;
    save(async () => {
      await api.post(`/records/${LINES}`, { opportunity: record.id, product: productId, quantity: 1 });
      setPicking('');
    });
  };
  const addCustom = () => save(() => api.post(`/records/${LINES}`, { opportunity: record.id, name: t('products.customLine'), quantity: 1, unitPrice: { amount: 0, currency } }));
  const update = (line: LineItem, values: Record<string, unknown>) => save(() => api.patch(`/records/${LINES}/${line.id}`, values));
  const remove = (line: LineItem) => save(() => api.delete(`/records/${LINES}/${line.id}`));
  const move = (line: LineItem, step: -1 | 1) => {
    const moves = reorderMoves(ordered, line.id, step);
    if (moves.length > 0) save(() => api.post(`/records/${LINES}/batch`, { records: moves }));
  };
  const toggle = (follows: boolean) => save(() => api.patch(`/records/${deal.name}/${record.id}`, { amountOverridden: !follows }));

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="products-panel-title" data-products-panel>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="products-panel-title">
            {t('products.title')}
          </Title>
          {canOn(deal, 'update') ? (
            <Switch
              checked={!overridden}
              onChange={(event) => toggle(event.currentTarget.checked)}
              label={t('products.follows')}
              description={overridden ? t('products.overriddenHelp') : t('products.followsHelp')}
              disabled={mutation.isPending}
            />
          ) : null}
        </Group>
        {error ? (
          <Alert color="red" role="alert" title={t('products.saveFailed')} withCloseButton onClose={() => setError(null)}>
            {problemMessage(t, error)}
            {isApiError(error) ? (
              <ul>
                {error.fieldErrors.map((problem) => (
                  <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        {lines.isLoading ? <Skeleton height={80} /> : null}
        {lines.error ? (
          <Alert color="red" role="alert" title={t('products.loadFailed')}>
            {problemMessage(t, lines.error)}
          </Alert>
        ) : null}
        {lines.data && ordered.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('products.empty')}
          </Text>
        ) : null}
        {ordered.length > 0 ? (
          <Table.ScrollContainer minWidth={620}>
            <Table verticalSpacing={4} aria-label={t('products.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('products.product')}</Table.Th>
                  <Table.Th>{t('products.quantity')}</Table.Th>
                  <Table.Th>{t('products.unitPrice', { currency })}</Table.Th>
                  <Table.Th>{t('products.discount')}</Table.Th>
                  <Table.Th>{t('products.tax')}</Table.Th>
                  <Table.Th ta="end">{t('products.total')}</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>{t('products.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ordered.map((line, index) => (
                  <LineRow
                    key={`${line.id}:${line.version}:${products.isSuccess}`}
                    line={line}
                    product={line.product ? productsById.get(line.product) : undefined}
                    index={index}
                    count={ordered.length}
                    productField={productField}
                    objects={objects}
                    canEdit={canEdit && !mutation.isPending}
                    canRemove={canRemove}
                    onUpdate={(values) => update(line, values)}
                    onRemove={() => remove(line)}
                    onMove={(step) => move(line, step)}
                  />
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={5} ta="end">
                    {t('products.sum')}
                  </Table.Th>
                  <Table.Td ta="end" data-products-sum>
                    {format.currency(sums.total, currency)}
                  </Table.Td>
                  <Table.Td />
                </Table.Tr>
                <Table.Tr>
                  <Table.Th colSpan={5} ta="end">
                    {t('products.sumWithTax')}
                  </Table.Th>
                  <Table.Td ta="end">{format.currency(sums.totalWithTax, currency)}</Table.Td>
                  <Table.Td />
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        ) : null}
        {canAdd ? (
          <Group gap="sm" align="flex-end" wrap="wrap">
            {productField ? (
              <div style={{ minWidth: 260 }}>
                <RelationInput field={productField} label={t('products.addProduct')} objects={objects} value={picking} onChange={(value) => addProduct(Array.isArray(value) ? (value[0] ?? '') : value)} />
              </div>
            ) : null}
            <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={addCustom} disabled={mutation.isPending}>
              {t('products.addCustom')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
};

const asNumber = (value: number | string): number | null => (typeof value === 'number' ? value : value.trim() === '' ? null : Number(value.replace(',', '.')));

interface LineRowProps {
  line: LineItem;
  product: ApiRecord | undefined;
  index: number;
  count: number;
  productField: ObjectDefinition['fields'][number] | undefined;
  objects: readonly ObjectDefinition[];
  canEdit: boolean;
  canRemove: boolean;
  onUpdate(values: Record<string, unknown>): void;
  onRemove(): void;
  onMove(step: -1 | 1): void;
}

/** One line: each input saves its field when it loses focus (or on Enter), if it changed. */
const LineRow = ({ line, product, index, count, productField, objects, canEdit, canRemove, onUpdate, onRemove, onMove }: LineRowProps) => {
  const { t } = useTranslation();
  const format = useFormat();
  const label = line.name ?? t('products.customLine');
  const [name, setName] = useState(line.name ?? '');
  const [quantity, setQuantity] = useState<number | string>(line.quantity ?? '');
  const [unitPrice, setUnitPrice] = useState<number | string>(line.unitPrice?.amount ?? '');
  const [discount, setDiscount] = useState<number | string>(line.discount ?? '');
  const [taxRate, setTaxRate] = useState<number | string>(line.taxRate ?? '');

  const commitNumber = (field: 'quantity' | 'discount' | 'taxRate', value: number | string) => {
    const next = asNumber(value);
    if (next !== (line[field] ?? null) && (next === null || Number.isFinite(next))) onUpdate({ [field]: next });
  };
  const commitPrice = () => {
    const next = asNumber(unitPrice);
    if (next === null || !Number.isFinite(next) || next === line.unitPrice?.amount) return;
    onUpdate({ unitPrice: { amount: next, currency: line.unitPrice?.currency ?? line.total?.currency } });
  };
  const onEnter = (commit: () => void) => (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') commit();
  };

  return (
    <Table.Tr data-line-id={line.id}>
      <Table.Td miw={190}>
        <Stack gap={4}>
        {productField ? (
          <RelationInput
            field={productField}
            label={t('products.productOf', { name: label })}
            isLabelHidden
            objects={objects}
            withinPortal
            value={line.product ?? ''}
            initialRecords={product ? [product] : []}
            onChange={(value) => {
              const next = Array.isArray(value) ? (value[0] ?? '') : value;
              if (next !== (line.product ?? '')) onUpdate({ product: next || null });
            }}
          />
        ) : null}
        <TextInput
          size="xs"
          data-line-name
          aria-label={t('products.nameOf', { position: index + 1 })}
          value={name}
          disabled={!canEdit}
          onChange={(event) => setName(event.currentTarget.value)}
          onBlur={() => name.trim() !== (line.name ?? '') && name.trim() !== '' && onUpdate({ name: name.trim() })}
          onKeyDown={onEnter(() => name.trim() !== (line.name ?? '') && name.trim() !== '' && onUpdate({ name: name.trim() }))}
        />
        </Stack>
      </Table.Td>
      <Table.Td>
        <NumberInput size="xs" w={68} aria-label={t('products.quantityOf', { name: label })} value={quantity} min={0} decimalScale={4} hideControls disabled={!canEdit} onChange={setQuantity} onBlur={() => commitNumber('quantity', quantity)} onKeyDown={onEnter(() => commitNumber('quantity', quantity))} />
      </Table.Td>
      <Table.Td>
        <NumberInput size="xs" w={96} aria-label={t('products.unitPriceOf', { name: label })} value={unitPrice} decimalScale={2} hideControls disabled={!canEdit} onChange={setUnitPrice} onBlur={commitPrice} onKeyDown={onEnter(commitPrice)} />
      </Table.Td>
      <Table.Td>
        <NumberInput size="xs" w={60} aria-label={t('products.discountOf', { name: label })} value={discount} min={0} max={100} decimalScale={2} hideControls disabled={!canEdit} onChange={setDiscount} onBlur={() => commitNumber('discount', discount)} onKeyDown={onEnter(() => commitNumber('discount', discount))} />
      </Table.Td>
      <Table.Td>
        <NumberInput size="xs" w={60} aria-label={t('products.taxOf', { name: label })} value={taxRate} min={0} max={100} decimalScale={2} hideControls disabled={!canEdit} onChange={setTaxRate} onBlur={() => commitNumber('taxRate', taxRate)} onKeyDown={onEnter(() => commitNumber('taxRate', taxRate))} />
      </Table.Td>
      <Table.Td ta="end" style={{ whiteSpace: 'nowrap' }} aria-label={t('products.totalOf', { name: label })}>
        {line.total ? format.currency(line.total.amount, line.total.currency) : '—'}
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <ActionIcon variant="subtle" aria-label={t('products.moveUp', { name: label })} disabled={!canEdit || index === 0} onClick={() => onMove(-1)}>
            <IconArrowUp size={16} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" aria-label={t('products.moveDown', { name: label })} disabled={!canEdit || index === count - 1} onClick={() => onMove(1)}>
            <IconArrowDown size={16} aria-hidden />
          </ActionIcon>
          {canRemove ? (
            <ActionIcon variant="subtle" color="red" aria-label={t('products.remove', { name: label })} onClick={onRemove}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          ) : null}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
};
