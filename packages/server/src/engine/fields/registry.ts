import { assertNever, type FieldType } from '@rapport/common';
import { withEncryption } from './encrypted-field.ts';
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
import { referenceField } from './types/reference.field.ts';
import { multiSelectField, selectField } from './types/select.field.ts';
import { longTextField, richTextField, textField } from './types/text.field.ts';

// The types that may be encrypted (ENCRYPTABLE_TYPES) answer for both shapes of their fields.
const encryptable = {
  text: withEncryption(textField),
  longText: withEncryption(longTextField),
  email: withEncryption(emailField),
  phone: withEncryption(phoneField),
  number: withEncryption(numberField),
  date: withEncryption(dateField),
  datetime: withEncryption(datetimeField),
};

// One handler per type; the `never` check makes a new type without a handler a compile error.
export const getFieldTypeHandler = (type: FieldType): FieldTypeHandler => {
  switch (type) {
    case 'text': return encryptable.text;
    case 'longText': return encryptable.longText;
    case 'richText': return richTextField;
    case 'number': return encryptable.number;
    case 'percent': return percentField;
    case 'rating': return ratingField;
    case 'currency': return currencyField;
    case 'boolean': return booleanField;
    case 'date': return encryptable.date;
    case 'datetime': return encryptable.datetime;
    case 'select': return selectField;
    case 'multiSelect': return multiSelectField;
    case 'email': return encryptable.email;
    case 'phone': return encryptable.phone;
    case 'url': return urlField;
    case 'address': return addressField;
    case 'relation': return relationField;
    case 'owner': return ownerField;
    case 'formula': return formulaField;
    case 'json': return jsonField;
    case 'reference': return referenceField;
    default: return assertNever(type, 'field type');
  }
};
