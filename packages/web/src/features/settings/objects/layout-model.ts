/** The layouts editor's state: titled sections of field names, plus the fields placed in none. */
export interface EditorSection {
  id: string;
  title: string;
  columns: 1 | 2;
  fields: string[];
}

export interface LayoutState {
  sections: EditorSection[];
  /** Fields on no section: record pages show them in a last untitled section. */
  unplaced: string[];
}

export const POOL_ID = 'pool';

let nextId = 0;
export const newSectionId = () => `section-${++nextId}`;

/** From the served layout and the fields a layout can hold (in field order). */
export const toLayoutState = (layout: { sections: readonly { title: string; columns: 1 | 2; fields: readonly string[] }[] }, fieldNames: readonly string[]): LayoutState => {
  const known = new Set(fieldNames);
  const placed = new Set<string>();
  const sections = layout.sections.map((section) => ({
    id: newSectionId(),
    title: section.title,
    columns: section.columns,
    fields: section.fields.filter((name) => known.has(name) && !placed.has(name) && (placed.add(name), true)),
  }));
  return { sections, unplaced: fieldNames.filter((name) => !placed.has(name)) };
};

/** Which container (a section id or the pool) holds a field. */
export const containerOf = (state: LayoutState, field: string): string | undefined =>
  state.unplaced.includes(field) ? POOL_ID : state.sections.find((section) => section.fields.includes(field))?.id;

const fieldsIn = (state: LayoutState, container: string): string[] =>
  container === POOL_ID ? state.unplaced : (state.sections.find((section) => section.id === container)?.fields ?? []);

const withFields = (state: LayoutState, container: string, fields: string[]): LayoutState =>
  container === POOL_ID ? { ...state, unplaced: fields } : { ...state, sections: state.sections.map((section) => (section.id === container ? { ...section, fields } : section)) };

/** Moves a field to `index` (clamped; the end when omitted) of a container; the same container reorders. */
export const moveField = (state: LayoutState, field: string, container: string, index?: number): LayoutState => {
  const from = containerOf(state, field);
  if (!from) return state;
  if (container !== POOL_ID && !state.sections.some((section) => section.id === container)) return state;
  const removed = withFields(state, from, fieldsIn(state, from).filter((name) => name !== field));
  const target = [...fieldsIn(removed, container)];
  const at = Math.max(0, Math.min(target.length, index ?? target.length));
  target.splice(at, 0, field);
  return withFields(removed, container, target);
};

/** Moves a field one place up or down inside its container. */
export const shiftField = (state: LayoutState, field: string, delta: -1 | 1): LayoutState => {
  const container = containerOf(state, field);
  if (!container) return state;
  const index = fieldsIn(state, container).indexOf(field);
  return moveField(state, field, container, index + delta);
};

export const addSection = (state: LayoutState, title: string): LayoutState => ({ ...state, sections: [...state.sections, { id: newSectionId(), title, columns: 2, fields: [] }] });

/** Removes a section; its fields go back to the unplaced ones. */
export const removeSection = (state: LayoutState, id: string): LayoutState => {
  const section = state.sections.find((s) => s.id === id);
  if (!section) return state;
  return { sections: state.sections.filter((s) => s.id !== id), unplaced: [...state.unplaced, ...section.fields] };
};

export const updateSection = (state: LayoutState, id: string, change: Partial<Pick<EditorSection, 'title' | 'columns'>>): LayoutState => ({
  ...state,
  sections: state.sections.map((section) => (section.id === id ? { ...section, ...change } : section)),
});

export const moveSection = (state: LayoutState, id: string, delta: -1 | 1): LayoutState => {
  const index = state.sections.findIndex((section) => section.id === id);
  const target = index + delta;
  if (index < 0 || target < 0 || target >= state.sections.length) return state;
  const sections = [...state.sections];
  const [section] = sections.splice(index, 1);
  sections.splice(target, 0, section!);
  return { ...state, sections };
};

/** The body of `PUT …/layout`. */
export const toLayoutBody = (state: LayoutState) => ({
  sections: state.sections.map(({ title, columns, fields }) => ({ title: title.trim(), columns, fields })),
});
