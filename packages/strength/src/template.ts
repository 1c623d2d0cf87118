// The one template engine for every text a person reads (reasons, hook lines, storage and audit
// findings). Browser-safe. Templates are data in the message tables; code never builds sentences.
//
//   {name}              the value; an integer is digit-grouped ("2,000"), an array is joined ", "
//   {name:plain}        the value as written (years, ids: "2024", not "2,024")
//   {name|one|other}    the word that agrees with the number `name` ("1 time", "3 times")
//
// A placeholder whose value is missing is a bug, not a blank: render throws TemplateError, and the
// table tests render every entry, so a template and its call sites cannot drift apart silently.

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

export type TemplateValues = Readonly<Record<string, unknown>>;

const PLACEHOLDER = /\{(\w+)(?::(plain))?(?:\|([^|{}]*)\|([^|{}]*))?\}/g;

/** Fill a template; throws TemplateError when a placeholder has no value. */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_m, name: string, plain: string | undefined, one?: string, other?: string) => {
    const v = values[name];
    if (v === undefined || v === null) throw new TemplateError(`template value "${name}" is missing in: ${template}`);
    if (one !== undefined) {
      if (typeof v !== 'number') throw new TemplateError(`template value "${name}" must be a number to choose "${one}" or "${other}"`);
      return v === 1 ? one : (other ?? '');
    }
    return plain ? String(v) : show(v);
  });
}

/** The names a template needs, for the table tests. */
export function templateNames(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/** An integer with thousands separators; other values as text. */
export function groupDigits(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

function show(v: unknown): string {
  if (typeof v === 'number') return groupDigits(v);
  if (Array.isArray(v)) return v.map(show).join(', ');
  return String(v);
}
