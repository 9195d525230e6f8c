/** What the designer has selected: the survey itself, a page (by name) or an element (by name). */
export type Selection = { kind: 'survey' } | { kind: 'page'; name: string } | { kind: 'element'; name: string };
