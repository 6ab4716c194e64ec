import type { Faker } from '@faker-js/faker';

/** A market the demo data comes from: names in its language, its country, currency and phone plans. */
export interface DemoLocale {
  /** Faker locale id, e.g. `de`, `zh_CN`. */
  id: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  currency: string;
  /** Units of the currency per US dollar, so amounts look alike across countries. */
  usdRate: number;
  /** Share of the generated records, relative to the other locales. */
  weight: number;
  /** Company domains end with it: `.de`, `.co.uk`. */
  tld: string;
  freeMailDomains: string[];
  /** International formats; `X` is any digit, `N` a digit from 2 to 9. */
  mobilePhones: string[];
  landlinePhones: string[];
  loadFaker(): Promise<Faker>;
}

// Per-locale entry points: importing '@faker-js/faker' whole would load every locale (slow, large).
export const DEMO_LOCALES: DemoLocale[] = [
  {
    id: 'en_US', country: 'US', currency: 'USD', usdRate: 1, weight: 24, tld: 'com',
    freeMailDomains: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com'],
    mobilePhones: ['+1 212 NXX XXXX', '+1 415 NXX XXXX', '+1 312 NXX XXXX', '+1 617 NXX XXXX', '+1 206 NXX XXXX', '+1 512 NXX XXXX'],
    landlinePhones: ['+1 212 NXX XXXX', '+1 646 NXX XXXX', '+1 303 NXX XXXX', '+1 404 NXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/en_US')).faker,
  },
  {
    id: 'en_GB', country: 'GB', currency: 'GBP', usdRate: 0.8, weight: 8, tld: 'co.uk',
    freeMailDomains: ['gmail.com', 'btinternet.com', 'outlook.com', 'yahoo.co.uk'],
    mobilePhones: ['+44 74XX XXXXXX', '+44 77XX XXXXXX', '+44 79XX XXXXXX'],
    landlinePhones: ['+44 20 7XXX XXXX', '+44 161 NXX XXXX', '+44 131 NXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/en_GB')).faker,
  },
  {
    id: 'de', country: 'DE', currency: 'EUR', usdRate: 0.92, weight: 12, tld: 'de',
    freeMailDomains: ['web.de', 'gmx.de', 'gmail.com', 't-online.de'],
    mobilePhones: ['+49 151 XXXXXXXX', '+49 160 XXXXXXX', '+49 170 XXXXXXX', '+49 176 XXXXXXXX'],
    landlinePhones: ['+49 30 NXXXXXXX', '+49 89 NXXXXXX', '+49 40 NXXXXXX', '+49 221 NXXXXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/de')).faker,
  },
  {
    id: 'fr', country: 'FR', currency: 'EUR', usdRate: 0.92, weight: 12, tld: 'fr',
    freeMailDomains: ['orange.fr', 'gmail.com', 'free.fr', 'laposte.net'],
    mobilePhones: ['+33 6 XX XX XX XX', '+33 7 5X XX XX XX'],
    landlinePhones: ['+33 1 NX XX XX XX', '+33 4 NX XX XX XX', '+33 5 NX XX XX XX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/fr')).faker,
  },
  {
    id: 'es', country: 'ES', currency: 'EUR', usdRate: 0.92, weight: 7, tld: 'es',
    freeMailDomains: ['gmail.com', 'hotmail.es', 'yahoo.es', 'telefonica.net'],
    mobilePhones: ['+34 6XX XXX XXX'],
    landlinePhones: ['+34 91N XXX XXX', '+34 93N XXX XXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/es')).faker,
  },
  {
    id: 'it', country: 'IT', currency: 'EUR', usdRate: 0.92, weight: 6, tld: 'it',
    freeMailDomains: ['libero.it', 'gmail.com', 'virgilio.it', 'alice.it'],
    mobilePhones: ['+39 33X XXX XXXX', '+39 34X XXX XXXX'],
    landlinePhones: ['+39 06 NXXX XXXX', '+39 02 NXXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/it')).faker,
  },
  {
    id: 'pt_BR', country: 'BR', currency: 'BRL', usdRate: 5, weight: 6, tld: 'com.br',
    freeMailDomains: ['gmail.com', 'uol.com.br', 'bol.com.br', 'hotmail.com'],
    mobilePhones: ['+55 11 9NXXX XXXX', '+55 21 9NXXX XXXX'],
    landlinePhones: ['+55 11 3XXX XXXX', '+55 21 2XXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/pt_BR')).faker,
  },
  {
    id: 'ja', country: 'JP', currency: 'JPY', usdRate: 150, weight: 5, tld: 'co.jp',
    freeMailDomains: ['yahoo.co.jp', 'gmail.com', 'docomo.ne.jp', 'ezweb.ne.jp'],
    mobilePhones: ['+81 90 NXXX XXXX', '+81 80 NXXX XXXX'],
    landlinePhones: ['+81 3 NXXX XXXX', '+81 6 NXXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/ja')).faker,
  },
  {
    id: 'zh_CN', country: 'CN', currency: 'CNY', usdRate: 7.2, weight: 5, tld: 'cn',
    freeMailDomains: ['qq.com', '163.com', '126.com', 'sina.com'],
    mobilePhones: ['+86 13X XXXX XXXX', '+86 18X XXXX XXXX'],
    landlinePhones: ['+86 10 NXXX XXXX', '+86 21 NXXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/zh_CN')).faker,
  },
  {
    id: 'ru', country: 'RU', currency: 'RUB', usdRate: 90, weight: 4, tld: 'ru',
    freeMailDomains: ['yandex.ru', 'mail.ru', 'gmail.com', 'rambler.ru'],
    mobilePhones: ['+7 91X XXX XX XX', '+7 92X XXX XX XX'],
    landlinePhones: ['+7 495 NXX XX XX', '+7 812 NXX XX XX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/ru')).faker,
  },
  {
    id: 'nl', country: 'NL', currency: 'EUR', usdRate: 0.92, weight: 4, tld: 'nl',
    freeMailDomains: ['gmail.com', 'ziggo.nl', 'kpnmail.nl', 'hotmail.nl'],
    mobilePhones: ['+31 6 NXXX XXXX'],
    landlinePhones: ['+31 20 NXX XXXX', '+31 10 NXX XXXX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/nl')).faker,
  },
  {
    id: 'pl', country: 'PL', currency: 'PLN', usdRate: 4, weight: 4, tld: 'pl',
    freeMailDomains: ['wp.pl', 'onet.pl', 'gmail.com', 'interia.pl'],
    mobilePhones: ['+48 50X XXX XXX', '+48 60X XXX XXX', '+48 69X XXX XXX'],
    landlinePhones: ['+48 22 NXX XX XX', '+48 12 NXX XX XX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/pl')).faker,
  },
  {
    id: 'sv', country: 'SE', currency: 'SEK', usdRate: 10.5, weight: 3, tld: 'se',
    freeMailDomains: ['gmail.com', 'telia.com', 'hotmail.se', 'outlook.com'],
    mobilePhones: ['+46 70 NXX XX XX', '+46 73 NXX XX XX'],
    landlinePhones: ['+46 8 NXX XXX XX', '+46 31 NXX XX XX'],
    loadFaker: async () => (await import('@faker-js/faker/locale/sv')).faker,
  },
];
