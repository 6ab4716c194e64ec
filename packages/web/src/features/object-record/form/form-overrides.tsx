import { lazy, type ComponentType } from 'react';
import type { RecordFormProps } from './record-form.tsx';
import { RecordForm } from './record-form.tsx';

/**
 * Objects whose create and edit screens use an editor of their own instead of the generic form (same props, same
 * page around it); loaded on first use. Every other object keeps the form generated from its fields.
 */
const FORM_OVERRIDES: Readonly<Record<string, ComponentType<RecordFormProps>>> = {
  bookingPage: lazy(() => import('../../booking/booking-page-editor.tsx')),
  actionTemplate: lazy(() => import('../../action-templates/action-template-editor.tsx')),
};

/** The form component for `object`: its own editor when it has one, else the generic record form. */
export const useRecordFormComponent = (object: string | undefined): ComponentType<RecordFormProps> =>
  (object ? FORM_OVERRIDES[object] : undefined) ?? RecordForm;
