/** The text of an HTML string, without running or rendering it (a detached document is inert). */
export const htmlToText = (html: string): string => {
  if (typeof DOMParser === 'undefined') return html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const document = new DOMParser().parseFromString(html, 'text/html');
  return (document.body.textContent ?? '').trim();
};
