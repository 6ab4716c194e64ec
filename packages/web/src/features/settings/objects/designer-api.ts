import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../../api/client.ts';
import { layoutQueryKey, queryKeys } from '../../../api/queries.ts';

const encode = encodeURIComponent;

export const metadataPath = {
  objects: () => '/metadata/objects',
  object: (object: string) => `/metadata/objects/${encode(object)}`,
  fields: (object: string) => `/metadata/objects/${encode(object)}/fields`,
  field: (object: string, field: string) => `/metadata/objects/${encode(object)}/fields/${encode(field)}`,
  layout: (object: string) => `/metadata/objects/${encode(object)}/layout`,
  check: (object: string) => `/metadata/objects/${encode(object)}/expressions/check`,
};

/** After a metadata change every screen reading objects, records or layouts reads them again. */
export const useMetadataRefresh = () => {
  const queryClient = useQueryClient();
  return async (object?: string) => {
    await queryClient.invalidateQueries({ queryKey: queryKeys.objects });
    if (object) {
      await queryClient.invalidateQueries({ queryKey: layoutQueryKey(object) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object) });
    }
  };
};

export const createObject = (definition: ObjectDefinition) => api.post<ObjectDefinition>(metadataPath.objects(), definition);
export const updateObject = (object: string, patch: Record<string, unknown>) => api.patch<ObjectDefinition>(metadataPath.object(object), patch);
export const deleteObject = (object: string) => api.delete(metadataPath.object(object));
export const restoreObject = (object: string) => api.post<ObjectDefinition>(`${metadataPath.object(object)}/restore`);
export const createField = (object: string, definition: FieldDefinition) => api.post<FieldDefinition>(metadataPath.fields(object), definition);
export const updateField = (object: string, field: string, patch: Record<string, unknown>) => api.patch<FieldDefinition>(metadataPath.field(object, field), patch);
export const deleteField = (object: string, field: string) => api.delete(metadataPath.field(object, field));
export const restoreField = (object: string, field: string) => api.post<FieldDefinition>(`${metadataPath.field(object, field)}/restore`);

export interface ExpressionCheck {
  valid: boolean;
  type: string | null;
  errors: { code: string; message: string; position: number | null }[];
}

export interface ExpressionCheckInput {
  object: string;
  expression: string;
  kind: 'formula' | 'rule';
  resultType?: string;
  field?: string;
}

const useDebounced = <T,>(value: T, delay: number): T => {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
};

/** Checks an expression with the server's CEL type checker while the person types (300 ms after the last key). */
export const useExpressionCheck = ({ object, expression, kind, resultType, field }: ExpressionCheckInput) => {
  const debounced = useDebounced(expression, 300);
  return useQuery({
    queryKey: ['metadata', 'check', object, kind, resultType ?? '', field ?? '', debounced],
    queryFn: ({ signal }) =>
      api.post<ExpressionCheck>(metadataPath.check(object), { expression: debounced, kind, ...(resultType ? { resultType } : {}), ...(field ? { field } : {}) }, { signal }),
    enabled: object !== '' && debounced.trim() !== '',
    staleTime: Infinity,
  });
};
