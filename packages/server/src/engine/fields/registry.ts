import { assertNever, type FieldType } from '@rapport/common';
import type { FieldTypeHandler } from './field-type.ts';
import { addressField } from './types/address.field.ts';
import { booleanField } from './types/boolean.field.ts';
import { emailField, phoneField, urlField } from './types/contact.field.ts';
import { currencyField } from './types/currency.field.ts';
import { dateField, datetimeField } from './types/date.field.ts';
import { formulaField } from './types/formula.field.ts';
import { jsonField } from './types/json.field.ts';
import { numberField, percentField, ratingField } from './types/number.field.ts';
import { ownerField, relationField } from './types/relation.field.ts';
import { multiSelectField, selectField } from './types/select.field.ts';
import { longTextField, richTextField, textField } from './types/text.field.ts';

// One handler per type; the `never` check makes a new type without a handler a compile error.
export const getFieldTypeHandler = (type: FieldType): FieldTypeHandler => {
  switch (type) {
    case 'text': return textField;
    case 'longText': return longTextField;
    case 'richText': return richTextField;
    case 'number': return numberField;
    case 'percent': return percentField;
    case 'rating': return ratingField;
    case 'currency': return currencyField;
    case 'boolean': return booleanField;
    case 'date': return dateField;
    case 'datetime': return datetimeField;
    case 'select': return selectField;
    case 'multiSelect': return multiSelectField;
    case 'email': return emailField;
    case 'phone': return phoneField;
    case 'url': return urlField;
    case 'address': return addressField;
    case 'relation': return relationField;
    case 'owner': return ownerField;
    case 'formula': return formulaField;
    case 'json': return jsonField;
    default: return assertNever(type, 'field type');
  }
};
