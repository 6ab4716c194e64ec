/** Client routes of the import screens. */
export const importPaths = {
  wizard: (object?: string) => (object ? `/imports/new?object=${encodeURIComponent(object)}` : '/imports/new'),
  history: (object?: string) => (object ? `/imports?object=${encodeURIComponent(object)}` : '/imports'),
  run: (id: string) => `/imports/${encodeURIComponent(id)}`,
};
