import { describe, expect, it } from 'vitest';
import { resolveInterfaceLanguage, supportedLanguageOf } from './interface-language.ts';

describe('interface language', () => {
  it('should prefer the person\'s own choice over everything', () => {
    expect(resolveInterfaceLanguage({ chosen: 'ru', workspaceLocale: 'de', browserLanguages: ['fr-FR'] })).toBe('ru');
  });

  it('should follow the workspace default locale before the browser when nothing was chosen', () => {
    expect(resolveInterfaceLanguage({ chosen: null, workspaceLocale: 'de', browserLanguages: ['fr-FR', 'en'] })).toBe('de');
    expect(resolveInterfaceLanguage({ chosen: null, workspaceLocale: 'zh-CN', browserLanguages: ['en-US'] })).toBe('zh');
  });

  it('should fall back to the browser\'s first supported language, then English', () => {
    expect(resolveInterfaceLanguage({ chosen: null, workspaceLocale: undefined, browserLanguages: ['it-IT', 'fr-CA'] })).toBe('fr');
    expect(resolveInterfaceLanguage({ chosen: 'xx', workspaceLocale: 'pt-BR', browserLanguages: ['ja'] })).toBe('en');
  });

  it('should map tags to the interface\'s languages or nothing', () => {
    expect(supportedLanguageOf('DE-at')).toBe('de');
    expect(supportedLanguageOf('zh_Hans')).toBe('zh');
    expect(supportedLanguageOf('pt')).toBeNull();
    expect(supportedLanguageOf(undefined)).toBeNull();
  });
});
