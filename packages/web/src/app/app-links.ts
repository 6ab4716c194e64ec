/**
 * Links inside the app drawn as plain anchors: `<a href="/objects/…" data-app-link>`. A table shows
 * hundreds of them and a router link is a component with half a dozen hooks each; a plain anchor is one
 * element. One listener on the document turns a plain left click on such an anchor into a navigation
 * within the app; Ctrl/Cmd/Shift/middle clicks keep the browser's own behaviour (new tab, new window).
 */
export const APP_LINK_ATTRIBUTE = 'data-app-link';

export const isPlainClick = (event: MouseEvent) => event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;

export const installAppLinks = (navigate: (to: string) => void, target: Document = document) => {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || !isPlainClick(event)) return;
    const link = (event.target as Element | null)?.closest?.<HTMLAnchorElement>(`a[${APP_LINK_ATTRIBUTE}]`);
    const href = link?.getAttribute('href');
    if (!link || !href?.startsWith('/') || href.startsWith('//') || (link.target && link.target !== '_self')) return;
    event.preventDefault();
    navigate(href);
  };
  target.addEventListener('click', onClick);
  return () => target.removeEventListener('click', onClick);
};
