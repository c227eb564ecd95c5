// Where focus goes when a dialog opens: on the first thing the coach would type
// into or choose, never on the close button (a typed space would close it).

const fields = [
  'input:not([type=hidden]):not([disabled])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[role=textbox]:not([aria-disabled=true])',
  '[role=spinbutton]:not([aria-disabled=true])',
].join(',');

const actions = 'button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * firstField returns the element a dialog should focus: one marked
 * data-autofocus, else the first field of the body, else the body's first
 * control, else the footer's last enabled button (its main action), else null.
 * A checked radio stands for its group, as the browser's own Tab would.
 */
export function firstField(body: HTMLElement | null, footer: HTMLElement | null = null): HTMLElement | null {
  if (body) {
    const marked = body.querySelector<HTMLElement>('[data-autofocus]');
    if (marked) return marked;
    const field = [...body.querySelectorAll<HTMLElement>(fields)].find(visible);
    if (field instanceof HTMLInputElement && field.type === 'radio' && field.name) {
      const group = [...body.querySelectorAll<HTMLInputElement>('input[type=radio]')].filter((r) => r.name === field.name);
      return group.find((r) => r.checked) ?? field;
    }
    if (field) return field;
    const action = [...body.querySelectorAll<HTMLElement>(actions)].find(visible);
    if (action) return action;
  }
  const buttons = footer ? [...footer.querySelectorAll<HTMLElement>('button:not([disabled])')].filter(visible) : [];
  return buttons.at(-1) ?? null;
}

// jsdom lays nothing out, so only an explicit hidden attribute counts there.
function visible(el: HTMLElement): boolean {
  return !el.closest('[hidden]') && !(el as HTMLInputElement).type?.startsWith?.('hidden');
}
