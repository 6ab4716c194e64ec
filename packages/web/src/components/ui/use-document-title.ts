import { useEffect } from 'react';

/** The browser tab's title: "People · Rapport". */
export const useDocumentTitle = (title: string | undefined) => {
  useEffect(() => {
    document.title = title ? `${title} · Rapport` : 'Rapport';
  }, [title]);
};
