import { describe, expect, it } from 'vitest';
import { htmlToText, textToHtml } from './rich-text.ts';

describe('rich text', () => {
  it('should turn typed text into escaped paragraphs with line breaks', () => {
    expect(textToHtml('Asked for <b>prices</b> & "terms"\nCall back\n\n\nBudget in Q1')).toBe('<p>Asked for &lt;b&gt;prices&lt;/b&gt; &amp; &quot;terms&quot;<br>Call back</p><p>Budget in Q1</p>');
    expect(textToHtml('  \n ')).toBe('');
  });

  it('should read rich text back as lines of plain text', () => {
    expect(htmlToText('<p>Agenda &amp; goals</p><ul><li>Prices</li><li>Terms</li></ul><p>Bye<br>Ann</p>')).toBe('Agenda & goals\n- Prices\n- Terms\nBye\nAnn');
    expect(htmlToText(textToHtml('One <two>\n\nThree'))).toBe('One <two>\nThree');
  });
});
