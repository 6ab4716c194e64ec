import { describe, expect, it } from 'vitest';
import { toVcard } from '../../exports/vcard.ts';
import { inspectImportFile, readImportRows } from './index.ts';
import { countryCodeOf, VCARD_HEADERS } from './read-vcard.ts';

const streamOf = (text: string, chunk = 7) => async function* () {
  const bytes = Buffer.from(text, 'utf8');
  for (let start = 0; start < bytes.length; start += chunk) yield bytes.subarray(start, start + chunk);
};
const rowsOf = async (text: string, skipRows = 0) => {
  const open = streamOf(text);
  const info = await inspectImportFile(open, 'contacts.vcf');
  const rows = [];
  for await (const row of readImportRows(open, info, { skipRows })) rows.push({ rowNumber: row.rowNumber, ...Object.fromEntries(info.headers.map((header, index) => [header, row.cells[index]])), ...(row.problem ? { problem: row.problem.code } : {}) });
  return { info, rows };
};

const ada = {
  id: '0b0e7a3e-5b7c-4c8e-9a51-0d2f4f0c1a11',
  firstName: 'Ada',
  lastName: 'Lovelace',
  fullName: 'Ada Lovelace',
  email: 'ada@example.test',
  phone: '+442079460000',
  jobTitle: 'Countess; analyst, "poet"',
  address: { street: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', region: 'Greater London', country: 'GB' },
  notes: 'Met at the Analytical Society.\nPrefers letters.',
  updatedAt: '2026-11-30T10:00:00.000Z',
};

describe('vCard import', () => {
  for (const version of ['4.0', '3.0'] as const) {
    it(`should read back a vCard ${version} the export wrote: names, email, phone, organisation, title, address, note`, async () => {
      const card = toVcard(ada as never, { version, organisation: 'Analytical Engines Ltd', countryName: (code) => new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code });
      const { info, rows } = await rowsOf(`${card}\r\n${card.replace(/Ada/g, 'Augusta')}\r\n`);
      expect(info).toMatchObject({ format: 'vcard', headers: VCARD_HEADERS });
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        rowNumber: 1,
        'First name': 'Ada',
        'Last name': 'Lovelace',
        'Full name': 'Ada Lovelace',
        Email: 'ada@example.test',
        Phone: '+442079460000',
        'Job title': 'Countess; analyst, "poet"',
        Company: 'Analytical Engines Ltd',
        'Address (street)': '12 St James Square',
        'Address (city)': 'London',
        'Address (postal code)': 'SW1Y 4JH',
        'Address (region)': 'Greater London',
        'Address (country)': 'GB',
        Note: 'Met at the Analytical Society.\nPrefers letters.',
      });
      expect(rows[1]).toMatchObject({ rowNumber: 2, 'First name': 'Augusta' });
    });
  }

  it('should take the preferred email and phone first, keep the others, resume after N cards and report a broken card without stopping', async () => {
    const cards = [
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\nEMAIL;TYPE=home:grace@home.test\r\nEMAIL;PREF=1:grace@navy.test\r\nTEL;TYPE=cell:+1 202 555 0101\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alan Turing\r\nN:Turing;Alan;;;\r\nEMAIL;TYPE=INTERNET,pref:alan@bletchley.test\r\nORG:GC&CS;Hut 8\r\nADR;TYPE=work:;;Bletchley Park;Milton Keynes;;MK3 6EB;Royaume-Uni\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN;BROKEN\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Katherine Johnson\r\nN:Johnson;Katherine;;;\r\nEND:VCARD',
    ];
    const { rows } = await rowsOf(`${cards.join('\r\n')}\r\n`);
    expect(rows[0]).toMatchObject({ Email: 'grace@navy.test', 'Other emails': 'grace@home.test', Phone: '+1 202 555 0101' });
    expect(rows[1]).toMatchObject({ Company: 'GC&CS', 'Address (street)': 'Bletchley Park', 'Address (country)': 'GB' });
    expect(rows[2]).toMatchObject({ rowNumber: 3, problem: 'unreadableCard' });
    expect(rows[3]).toMatchObject({ rowNumber: 4, 'Last name': 'Johnson' });
    const resumed = await rowsOf(`${cards.join('\r\n')}\r\n`, 2);
    expect(resumed.rows.map((row) => row.rowNumber)).toEqual([3, 4]);
  });

  it('should refuse a file cut inside a card', async () => {
    await expect(rowsOf('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cut Off\r\n')).rejects.toMatchObject({ code: 'unclosedQuote' });
  });

  it('should turn country names into codes in several languages and leave what is no country', () => {
    expect(countryCodeOf('United Kingdom')).toBe('GB');
    expect(countryCodeOf('Allemagne')).toBe('DE');
    expect(countryCodeOf('fr')).toBe('FR');
    expect(countryCodeOf('Atlantis')).toBe('Atlantis');
  });
});
