/**
 * The one rule for text in requests, applied to every parsed body and query string before anything
 * else looks at them (even before authentication):
 *
 * - no C0 control character but tab, line feed and carriage return, and no DEL: a NUL cannot be
 *   stored in PostgreSQL text at all, and the others are never legitimate in names, e-mail
 *   addresses, reasons or search terms;
 * - no unpaired UTF-16 surrogate (`"\ud800"` is valid JSON but no valid text, and PostgreSQL refuses
 *   it in jsonb);
 * - at most MAX_INPUT_DEPTH levels of nested arrays and objects.
 *
 * The walk is iterative, so a hostile nesting cannot exhaust the stack. The first offence found is
 * reported with its field path (`holders.2.name`), for a 400 problem naming the field.
 */
export const MAX_INPUT_DEPTH = 32;

// eslint-disable-next-line no-control-regex -- the control characters are what this rule refuses
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export interface InputOffence {
  /** The field path, '' for the document itself. */
  field: string;
  message: string;
}

/** The message for a string that breaks the rule, or null when it is acceptable text. */
export function textOffence(value: string): string | null {
  if (FORBIDDEN_CONTROL.test(value))
    return 'must not contain control characters (only tab, line feed and carriage return)';
  if (!value.isWellFormed()) return 'must be valid Unicode text (it holds an unpaired surrogate)';
  return null;
}

/** The first offence in a parsed value (body, query), or null. */
export function inputOffence(root: unknown): InputOffence | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: root, path: '', depth: 0 },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === 'string') {
      const message = textOffence(value);
      if (message) return { field: path, message };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH)
      return { field: path, message: `must not nest more than ${MAX_INPUT_DEPTH} levels deep` };
    // Pushed last to first, so offences are found in document order.
    const entries = Object.entries(value);
    for (let index = entries.length - 1; index >= 0; index -= 1) {
      const [key, child] = entries[index] as [string, unknown];
      const field = path ? `${path}.${key}` : key;
      const keyMessage = textOffence(key);
      if (keyMessage) return { field, message: `its name ${keyMessage}` };
      stack.push({ value: child, path: field, depth: depth + 1 });
    }
  }
  return null;
}
