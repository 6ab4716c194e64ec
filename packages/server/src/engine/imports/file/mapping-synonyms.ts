import type { AddressPart } from '@rapport/common';

/**
 * Column headers other CRMs put in their exports (Salesforce, HubSpot, Pipedrive, Zoho, Twenty), by the
 * name of the field they fill. A synonym counts for any object that has a field of that name; with a
 * weight, the better of two columns wins a field (`Phone` over `Mobile Phone`). Prefixes (`Person - `,
 * `Organization - `, `Company `, `Mailing `) are handled by the matcher, not listed here.
 */
export const FIELD_SYNONYMS: Record<string, Array<[header: string, weight: number]>> = {
  firstName: [['First Name', 8], ['Firstname', 8], ['Given Name', 7], ['Forename', 7], ['Name / First Name', 8], ['Name - First name', 8], ['First', 5]],
  lastName: [['Last Name', 8], ['Lastname', 8], ['Surname', 7], ['Family Name', 7], ['Name / Last Name', 8], ['Name - Last name', 8], ['Last', 5]],
  email: [
    ['Email', 8], ['E-mail', 8], ['Email Address', 8], ['E-mail Address', 8], ['Emails', 8], ['Primary Email', 8], ['Emails / Primary Email', 8], ['Emails Primary Email', 8],
    ['Email - Work', 7], ['Work Email', 7], ['Business Email', 7], ['Email 1', 7], ['Mail', 6],
    ['Email - Home', 5], ['Email - Other', 4], ['Personal Email', 5], ['Secondary Email', 4], ['Other Email', 4], ['Email 2', 4],
  ],
  phone: [
    ['Phone', 8], ['Phone Number', 8], ['Phones', 8], ['Primary Phone', 8], ['Primary Phone Number', 8], ['Phones / Primary Phone Number', 8], ['Telephone', 8], ['Tel', 7],
    ['Business Phone', 7], ['Work Phone', 7], ['Office Phone', 7], ['Phone - Work', 7], ['Direct Phone', 6], ['Phone 1', 7],
    ['Mobile', 5], ['Mobile Phone', 5], ['Mobile Phone Number', 5], ['Phone - Mobile', 5], ['Cell', 5], ['Cell Phone', 5],
    ['Home Phone', 4], ['Phone - Home', 4], ['Other Phone', 3], ['Phone - Other', 3], ['Phone 2', 3],
  ],
  jobTitle: [['Title', 7], ['Job Title', 8], ['Position', 6], ['Job Position', 7], ['Role', 5], ['Designation', 5], ['Job Function', 5]],
  name: [['Name', 8], ['Company Name', 8], ['Account Name', 8], ['Organization Name', 8], ['Organisation Name', 8], ['Name / Name', 6]],
  domain: [
    ['Domain', 8], ['Domain Name', 8], ['Website', 7], ['Website URL', 7], ['Web Site', 7], ['Web', 5], ['URL', 5], ['Homepage', 6],
    ['Company Domain Name', 8], ['Domain Name / Link URL', 8], ['Domain Name / Primary Link URL', 8], ['Domain Name Primary Link URL', 8],
  ],
  industry: [['Industry', 8], ['Sector', 6]],
  employees: [['Employees', 8], ['Number of Employees', 8], ['No. of Employees', 8], ['Employee Count', 8], ['Headcount', 6]],
  annualRevenue: [['Annual Revenue', 8], ['Revenue', 6], ['Annual Recurring Revenue', 6], ['Annual Recurring Revenue / Amount', 6], ['ARR', 5]],
  owner: [
    ['Owner', 8], ['Contact Owner', 8], ['Lead Owner', 7], ['Account Owner', 8], ['Company Owner', 8], ['Record Owner', 7], ['Deal Owner', 7],
    ['Account Owner Name', 6], ['Contact Owner Name', 6], ['Assigned To', 5], ['Account Manager', 4],
  ],
  description: [['Description', 8], ['Notes', 6], ['Note', 6], ['Comments', 5], ['Background Info', 5], ['About', 5]],
};

/** Headers for a whole person name, split into first and last name by the import (see `nameSplitOf`). */
export const FULL_NAME_SYNONYMS: Array<[string, number]> = [['Name', 7], ['Full Name', 8], ['Contact Name', 7], ['Person Name', 7], ['Contact', 4], ['Display Name', 5]];

/** Address parts by the names exports give them (`Mailing Zip/Postal Code` is `Mailing` + `Zip/Postal Code`). */
export const ADDRESS_PART_SYNONYMS: Record<AddressPart, string[]> = {
  street: ['Street', 'Street Address', 'Address 1', 'Address Line 1', 'Street 1', 'Address Street 1', 'Street/road name'],
  city: ['City', 'Town', 'Locality', 'City/Town'],
  region: ['State', 'State/Province', 'State/Region', 'Province', 'Region', 'County', 'State Province'],
  postalCode: ['Postal Code', 'Postcode', 'Post Code', 'Zip', 'Zip Code', 'ZIP/Postal Code', 'Zip/Postal Code', 'Postal/Zip Code', 'Code'],
  country: ['Country', 'Country/Region', 'Country Code', 'Nation'],
  lat: ['Latitude', 'Lat'],
  lng: ['Longitude', 'Lng', 'Lon', 'Long'],
};

/** Words before an address part naming which address it is: Salesforce `Mailing`/`Billing`, Zoho `Other`... */
export const ADDRESS_PREFIXES: Array<[string, number]> = [['', 7], ['Mailing', 7], ['Billing', 7], ['Primary', 7], ['Postal', 6], ['Business', 6], ['Work', 6], ['Office', 6], ['Shipping', 4], ['Home', 4], ['Other', 3]];

/** Other words exports use for an object when they prefix its columns (`Organization - Name`, `Contact Email`). */
export const OBJECT_ALIASES: Record<string, string[]> = {
  company: ['Company', 'Companies', 'Organization', 'Organisation', 'Organizations', 'Account', 'Accounts', 'Associated Company', 'Employer', 'Société', 'Firma', 'Empresa', 'Azienda'],
  person: ['Person', 'People', 'Contact', 'Contacts', 'Lead'],
  opportunity: ['Opportunity', 'Deal', 'Deals'],
};

// Columns that look like an email, phone or website but hold something about it.
const NOT_A_VALUE = /optout|optedout|optin|bounce|opened|clicked|delivered|sent|unsubscrib|verified|verification|status|date|count|type|subscription|consent|invalid|domaintype/;

/** Last-resort guesses from a word inside the header (`Preferred email address`), when nothing else matched. */
export const CONTAINS_RULES: Array<{ pattern: RegExp; field: string; part?: AddressPart }> = [
  { pattern: /e?mail/, field: 'email' },
  { pattern: /phone|mobile|telephone|cell/, field: 'phone' },
  { pattern: /website|domain|homepage/, field: 'domain' },
  { pattern: /zip|postal|postcode/, field: 'address', part: 'postalCode' },
  { pattern: /city/, field: 'address', part: 'city' },
  { pattern: /country/, field: 'address', part: 'country' },
  { pattern: /street/, field: 'address', part: 'street' },
];

export const looksLikeMetadataColumn = (key: string): boolean => NOT_A_VALUE.test(key);
