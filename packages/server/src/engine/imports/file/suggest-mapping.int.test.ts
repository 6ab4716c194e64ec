import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngines } from '../../../../../../tests/setup/engines.ts';
import { createTestApp, type TestApp } from '../../../../../../tests/support/test-app.ts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadWorkspaceMeta } from '../../metadata/metadata-store.ts';
import { sniffImportFile } from './index.ts';
import type { WorkspaceMeta } from '../../metadata/types.ts';
import { nameSplitOf, splitFullName } from './name-split.ts';
import { normaliseHeader, suggestMapping } from './suggest-mapping.ts';

describe('normaliseHeader', () => {
  it('drops case, accents, spaces and punctuation in any script', () => {
    expect(normaliseHeader(' Mailing Zip/Postal Code ')).toBe('mailingzippostalcode');
    expect(normaliseHeader('Prénom')).toBe('prenom');
    expect(normaliseHeader('Straße')).toBe('strasse');
    expect(normaliseHeader('Эл. почта')).toBe('элпочта');
    expect(normaliseHeader('国家/地区')).toBe('国家地区');
  });
});

describe('splitFullName', () => {
  it('splits first word from the rest, or at a comma', () => {
    expect(splitFullName('  Jean-Luc   de la Tour ')).toEqual({ firstName: 'Jean-Luc', lastName: 'de la Tour' });
    expect(splitFullName('Müller, Anna')).toEqual({ firstName: 'Anna', lastName: 'Müller' });
    expect(splitFullName('Cher')).toEqual({ firstName: 'Cher', lastName: '' });
  });
});

describeEngines('suggestMapping', (engine) => {
  let testApp: TestApp;
  let workspace: WorkspaceMeta;
  const person = () => workspace.objects.get('person')!;
  const company = () => workspace.objects.get('company')!;
  const suggest = (headers: string[], object = person()) => suggestMapping(headers, object, workspace);

  beforeAll(async () => {
    testApp = await createTestApp(engine);
    // a custom field, matched by its name and label like the standard ones
    const created = await testApp.request('POST', '/api/v1/metadata/objects/person/fields', { name: 'leadSource', type: 'text', label: 'Lead source' });
    expect(created.status).toBe(201);
    workspace = await loadWorkspaceMeta(testApp.testDatabase.database.db, testApp.workspace.id);
  });
  afterAll(() => testApp?.destroy());

  it('knows how a person name is split', () => {
    expect(nameSplitOf(person())).toEqual({ target: 'fullName', firstName: 'firstName', lastName: 'lastName' });
    expect(nameSplitOf(company())).toBeNull();
  });

  it('maps a Salesforce contacts export', () => {
    const headers = ['Contact ID', 'Salutation', 'First Name', 'Last Name', 'Title', 'Account Name', 'Mailing Street', 'Mailing City', 'Mailing State/Province', 'Mailing Zip/Postal Code', 'Mailing Country', 'Phone', 'Mobile Phone', 'Email', 'Lead Source', 'Description', 'Contact Owner', 'Email Opt Out'];
    expect(suggest(headers)).toEqual({
      'Contact ID': null,
      Salutation: null,
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Title: 'jobTitle',
      'Account Name': 'company.name',
      'Mailing Street': 'address.street',
      'Mailing City': 'address.city',
      'Mailing State/Province': 'address.region',
      'Mailing Zip/Postal Code': 'address.postalCode',
      'Mailing Country': 'address.country',
      Phone: 'phone',
      'Mobile Phone': null,
      Email: 'email',
      'Lead Source': 'leadSource',
      Description: null,
      'Contact Owner': 'owner',
      'Email Opt Out': null,
    });
  });

  it('maps a HubSpot contacts export, the website to the company', () => {
    const headers = ['Record ID', 'First Name', 'Last Name', 'Email', 'Mobile Phone Number', 'Phone Number', 'Job Title', 'Company Name', 'Website URL', 'Street Address', 'City', 'State/Region', 'Postal Code', 'Country/Region', 'Lifecycle Stage', 'Contact owner', 'Create Date', 'Email Domain'];
    const mapping = suggest(headers);
    expect(mapping).toMatchObject({
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Phone Number': 'phone',
      'Mobile Phone Number': null,
      'Job Title': 'jobTitle',
      'Company Name': 'company.name',
      'Website URL': 'company.domain',
      'Street Address': 'address.street',
      City: 'address.city',
      'State/Region': 'address.region',
      'Postal Code': 'address.postalCode',
      'Country/Region': 'address.country',
      'Contact owner': 'owner',
      'Record ID': null,
      'Lifecycle Stage': null,
      'Create Date': null,
      'Email Domain': null,
    });
  });

  it('maps a Pipedrive persons export with its Person/Organization prefixes', () => {
    const headers = ['Person - ID', 'Person - Name', 'Person - First name', 'Person - Last name', 'Person - Email - Work', 'Person - Phone - Work', 'Person - Job title', 'Person - Organization', 'Organization - Name', 'Organization - Website', 'Person - Owner', 'Person - Label'];
    const mapping = suggest(headers);
    expect(mapping).toMatchObject({
      'Person - First name': 'firstName',
      'Person - Last name': 'lastName',
      'Person - Email - Work': 'email',
      'Person - Phone - Work': 'phone',
      'Person - Job title': 'jobTitle',
      'Person - Owner': 'owner',
      'Person - ID': null,
      'Person - Label': null,
      // first and last name have columns of their own: the whole name is not mapped too
      'Person - Name': null,
      'Organization - Website': 'company.domain',
    });
    // one of the two organization columns names the company, never both
    const companyColumns = ['Person - Organization', 'Organization - Name'].map((header) => mapping[header]);
    expect(companyColumns.filter((target) => target === 'company.name')).toHaveLength(1);
    expect(companyColumns).toContain(null);
  });

  it('maps a whole-name column to the name split when there are no first/last name columns', () => {
    expect(suggest(['Person - Name', 'Person - Email', 'Person - Phone', 'Organization - Name'])).toEqual({
      'Person - Name': 'fullName',
      'Person - Email': 'email',
      'Person - Phone': 'phone',
      'Organization - Name': 'company.name',
    });
  });

  it('maps a Zoho contacts export', () => {
    const headers = ['Contact Owner', 'First Name', 'Last Name', 'Account Name', 'Email', 'Title', 'Phone', 'Mobile', 'Mailing Street', 'Mailing City', 'Mailing State', 'Mailing Zip', 'Mailing Country', 'Secondary Email'];
    expect(suggest(headers)).toEqual({
      'Contact Owner': 'owner',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      'Account Name': 'company.name',
      Email: 'email',
      Title: 'jobTitle',
      Phone: 'phone',
      Mobile: null,
      'Mailing Street': 'address.street',
      'Mailing City': 'address.city',
      'Mailing State': 'address.region',
      'Mailing Zip': 'address.postalCode',
      'Mailing Country': 'address.country',
      'Secondary Email': null,
    });
  });

  it('maps a Twenty people export', () => {
    const headers = ['Id', 'Name / First Name', 'Name / Last Name', 'Emails / Primary Email', 'Emails / Additional Emails', 'Phones / Primary Phone Number', 'Job Title', 'City', 'Company', 'Linkedin / Primary Link URL', 'Created At'];
    expect(suggest(headers)).toMatchObject({
      Id: null,
      'Name / First Name': 'firstName',
      'Name / Last Name': 'lastName',
      'Emails / Primary Email': 'email',
      'Emails / Additional Emails': null,
      'Phones / Primary Phone Number': 'phone',
      'Job Title': 'jobTitle',
      City: 'address.city',
      Company: 'company.name',
      'Linkedin / Primary Link URL': null,
      'Created At': null,
    });
  });

  it('maps a Twenty companies export and a domain to the company itself', () => {
    const headers = ['Name', 'Domain Name / Primary Link URL', 'Employees', 'Address / Address 1', 'Address / City', 'Address / Postcode', 'Address / State', 'Address / Country', 'Account Owner'];
    expect(suggest(headers, company())).toEqual({
      Name: 'name',
      'Domain Name / Primary Link URL': 'domain',
      Employees: 'employees',
      'Address / Address 1': 'address.street',
      'Address / City': 'address.city',
      'Address / Postcode': 'address.postalCode',
      'Address / State': 'address.region',
      'Address / Country': 'address.country',
      'Account Owner': 'owner',
    });
  });

  it('maps company columns of a Salesforce accounts or HubSpot companies export', () => {
    expect(suggest(['Account Name', 'Website', 'Industry', 'Billing City', 'Billing Zip/Postal Code', 'Number of Employees', 'Annual Revenue', 'Parent Account'], company())).toMatchObject({
      'Account Name': 'name',
      Website: 'domain',
      Industry: 'industry',
      'Billing City': 'address.city',
      'Billing Zip/Postal Code': 'address.postalCode',
      'Number of Employees': 'employees',
      'Annual Revenue': 'annualRevenue',
    });
    expect(suggest(['Company name', 'Company Domain Name', 'Phone Number', 'Country/Region'], company())).toEqual({ 'Company name': 'name', 'Company Domain Name': 'domain', 'Phone Number': 'phone', 'Country/Region': 'address.country' });
    // in a companies file a lone `Company` column is the company itself, not its parent
    expect(suggest(['Company', 'Parent Company', 'Website'], company())).toEqual({ Company: 'name', 'Parent Company': 'parentCompany.name', Website: 'domain' });
    expect(suggest(['Organization', 'Parent company domain'], company())).toEqual({ Organization: 'name', 'Parent company domain': 'parentCompany.domain' });
  });

  it('maps a Salesforce opportunities or HubSpot deals export', () => {
    const opportunity = workspace.objects.get('opportunity')!;
    expect(suggest(['Opportunity Name', 'Account Name', 'Amount', 'Stage', 'Close Date', 'Probability (%)', 'Opportunity Owner'], opportunity)).toEqual({
      'Opportunity Name': 'name',
      'Account Name': 'company.name',
      Amount: 'amount',
      // A stage is a pipeline stage record, found by its name.
      Stage: 'stage.name',
      'Close Date': 'closeDate',
      'Probability (%)': 'probability',
      'Opportunity Owner': 'owner',
    });
    expect(suggest(['Deal Name', 'Deal Stage', 'Amount', 'Associated Company', 'Deal owner'], opportunity)).toEqual({ 'Deal Name': 'name', 'Deal Stage': 'stage.name', Amount: 'amount', 'Associated Company': 'company.name', 'Deal owner': 'owner' });
  });

  it('matches the standard labels of every interface language, accents and case aside', () => {
    expect(suggest(['Prénom', 'NOM', 'e-mail', 'Téléphone', 'Fonction', 'Entreprise', 'Ville', 'Code postal', 'Pays'])).toEqual({
      Prénom: 'firstName',
      NOM: 'lastName',
      'e-mail': 'email',
      Téléphone: 'phone',
      Fonction: 'jobTitle',
      Entreprise: 'company.name',
      Ville: 'address.city',
      'Code postal': 'address.postalCode',
      Pays: 'address.country',
    });
    expect(suggest(['Vorname', 'Nachname', 'E-Mail', 'Unternehmen', 'Postleitzahl', 'Strasse'])).toEqual({ Vorname: 'firstName', Nachname: 'lastName', 'E-Mail': 'email', Unternehmen: 'company.name', Postleitzahl: 'address.postalCode', Strasse: 'address.street' });
    expect(suggest(['Имя', 'Фамилия', 'Эл. почта', 'Компания', 'Город'])).toEqual({ Имя: 'firstName', Фамилия: 'lastName', 'Эл. почта': 'email', Компания: 'company.name', Город: 'address.city' });
    expect(suggest(['名', '姓', '邮箱', '公司', '城市'])).toEqual({ 名: 'firstName', 姓: 'lastName', 邮箱: 'email', 公司: 'company.name', 城市: 'address.city' });
    expect(suggest(['Nom', 'Domaine', 'Secteur'], company())).toEqual({ Nom: 'name', Domaine: 'domain', Secteur: 'industry' });
    // object names in other languages prefix columns too
    expect(suggest(['Entreprise - Nom', 'Unternehmen Domain'])).toEqual({ 'Entreprise - Nom': 'company.name', 'Unternehmen Domain': 'company.domain' });
  });

  it("reads Rapport's own export headers back", () => {
    expect(suggest(['First name', 'Last name', 'Full name', 'Email', 'Company', 'Address (street)', 'Address (city)', 'Address (postal code)', 'Address (country)', 'Lead source'])).toEqual({
      'First name': 'firstName',
      'Last name': 'lastName',
      'Full name': null,
      Email: 'email',
      Company: 'company.name',
      'Address (street)': 'address.street',
      'Address (city)': 'address.city',
      'Address (postal code)': 'address.postalCode',
      'Address (country)': 'address.country',
      'Lead source': 'leadSource',
    });
  });

  it('maps field names and target paths typed as headers, and related fields by "<relation> <field>"', () => {
    expect(suggest(['firstName', 'email', 'company.domain', 'Company Industry', 'address.city'])).toEqual({ firstName: 'firstName', email: 'email', 'company.domain': 'company.domain', 'Company Industry': 'company.industry', 'address.city': 'address.city' });
  });

  it('never suggests a target twice, and prefers the stronger match over the leftmost column', () => {
    const mapping = suggest(['Work Email', 'Email', 'Email (2)', 'Mobile', 'Telephone']);
    expect(mapping).toEqual({ 'Work Email': null, Email: 'email', 'Email (2)': null, Mobile: null, Telephone: 'phone' });
    const targets = Object.values(suggest(['City', 'Mailing City', 'Billing City', 'Ville'])).filter((target) => target !== null);
    expect(targets).toEqual(['address.city']);
  });

  it('never suggests read-only or system fields', () => {
    expect(suggest(['Id', 'Created At', 'Updated At', 'Version', 'Opportunities', 'Notes'])).toEqual({ Id: null, 'Created At': null, 'Updated At': null, Version: null, Opportunities: null, Notes: null });
  });

  it('guesses from a word inside an unknown header, never from a column about a value', () => {
    expect(suggest(['Preferred email address', 'Contact mobile nr', 'Email Bounced', 'Phone verified', 'Corporate homepage', 'Home town city'])).toEqual({
      'Preferred email address': 'email',
      'Contact mobile nr': 'phone',
      'Email Bounced': null,
      'Phone verified': null,
      'Corporate homepage': 'company.domain',
      'Home town city': 'address.city',
    });
    expect(suggest(['Corporate homepage'], company())).toEqual({ 'Corporate homepage': 'domain' });
  });

  it('suggests a mapping for each fixture file, from the headers the reader found', () => {
    const fixtures = resolve(import.meta.dirname, '../../../../../../tests/fixtures/imports');
    const mappingOf = (name: string, object = person()) => {
      const info = sniffImportFile(readFileSync(resolve(fixtures, name)), name);
      return suggest(info.headers, object);
    };
    expect(mappingOf('salesforce-contacts.csv')).toMatchObject({ 'Account Name': 'company.name', 'Mailing Zip/Postal Code': 'address.postalCode', 'Contact Owner': 'owner' });
    expect(mappingOf('hubspot-contacts.csv')).toMatchObject({ 'Company Name': 'company.name', 'Website URL': 'company.domain', 'Country/Region': 'address.country' });
    expect(mappingOf('pipedrive-persons.csv')).toMatchObject({ 'Person - Email - Work': 'email', 'Organization - Name': 'company.name' });
    expect(mappingOf('zoho-contacts.csv')).toMatchObject({ 'Account Name': 'company.name', 'Mailing Street': 'address.street' });
    expect(mappingOf('twenty-people.csv')).toMatchObject({ 'Emails / Primary Email': 'email', Company: 'company.name' });
    expect(mappingOf('twenty-companies.csv', company())).toMatchObject({ Name: 'name', 'Address / Postcode': 'address.postalCode' });
    expect(mappingOf('utf16le-bom.tsv')).toEqual({ 'First Name': 'firstName', 'Last Name': 'lastName', Email: 'email', City: 'address.city' });
    expect(mappingOf('windows-1252.csv')).toEqual({ Prénom: 'firstName', Nom: 'lastName', Société: 'company.name', Fonction: 'jobTitle', Ville: 'address.city', Remarque: null });
    expect(mappingOf('utf8-bom-semicolon.csv')).toMatchObject({ Prénom: 'firstName', Nom: 'lastName', 'E-mail': 'email', Entreprise: 'company.name', 'Code postal': 'address.postalCode' });
  });
});
