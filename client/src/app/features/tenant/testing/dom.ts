import { TestBed } from '@angular/core/testing';

/** Queries by what users see (labels, button names, text), for component tests in jsdom. */

const normalize = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The input, textarea or select of the form field labelled `label` (exactly). */
export function field(root: ParentNode, label: string): HTMLInputElement & HTMLTextAreaElement {
  const formField = Array.from(root.querySelectorAll('mat-form-field')).find((candidate) => normalize(candidate.querySelector('mat-label')?.textContent) === label);
  const control = formField?.querySelector('input, textarea, mat-select');
  if (!control) throw new Error(`no field labelled "${label}"`);
  return control as HTMLInputElement & HTMLTextAreaElement;
}

/** The button (or link styled as one) whose accessible name is `name`: its aria-label, else its text without icons. */
export function button(root: ParentNode, name: string): HTMLButtonElement {
  const found = buttons(root).find((candidate) => accessibleName(candidate) === name);
  if (!found) throw new Error(`no button named "${name}"; there are: ${buttons(root).map(accessibleName).join(', ')}`);
  return found as HTMLButtonElement;
}

export function buttons(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('button, a[mat-button], a[mat-flat-button]'));
}

export function accessibleName(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label) return label;
  const clone = element.cloneNode(true) as Element;
  clone.querySelectorAll('mat-icon, [aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return normalize(clone.textContent);
}

/** Types into an input as a user would: sets the value and fires `input`. */
export function type(control: HTMLInputElement | HTMLTextAreaElement, value: string | number): void {
  control.value = String(value);
  control.dispatchEvent(new Event('input'));
  control.dispatchEvent(new Event('blur'));
}

export function textOf(element: Element | null | undefined): string {
  return normalize(element?.textContent);
}

/** Waits for real timers (debounces) to pass. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The checkbox input of the mat-checkbox labelled `label`. */
export function checkbox(root: ParentNode, label: string): HTMLInputElement {
  const found = Array.from(root.querySelectorAll('mat-checkbox')).find((candidate) => textOf(candidate) === label);
  const input = found?.querySelector('input');
  if (!input) throw new Error(`no checkbox labelled "${label}"`);
  return input;
}

/**
 * Lets effects, HTTP answers and rendering run. Not `whenStable()`: that waits for pending requests,
 * which the tests answer themselves.
 */
export async function settle(): Promise<void> {
  await sleep(0);
  TestBed.tick();
  await sleep(0);
  TestBed.tick();
}
