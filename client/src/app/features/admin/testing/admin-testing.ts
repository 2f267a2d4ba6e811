import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, Provider } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { provideRouter } from '@angular/router';

/** A test bed with the HTTP backend faked, no session (so no live event stream is opened) and no animations (dialogs close at once). */
export function setUpAdminTest(providers: (Provider | EnvironmentProviders)[] = []): HttpTestingController {
  localStorage.clear();
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
      ...providers,
    ],
  });
  return TestBed.inject(HttpTestingController);
}

/**
 * Lets timers (debounces) run out, then effects, change detection and answered requests settle. Not
 * `whenStable()`: that waits for every open request, and a test answers those itself.
 */
export async function settle(fixture: ComponentFixture<unknown>, ms = 0): Promise<void> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  for (let round = 0; round < 3; round++) {
    TestBed.tick();
    await new Promise((resolve) => setTimeout(resolve));
  }
  fixture.detectChanges();
}

/** The form control a visible `<mat-label>` names, found the way assistive technology does. */
export function control<T extends HTMLElement = HTMLInputElement>(label: string, root: ParentNode = document): T {
  const labels = Array.from(root.querySelectorAll('label'));
  const match = labels.find((element) => element.textContent?.replace(/\s+/g, ' ').trim() === label);
  // Inputs are named by the label's `for`; a mat-select by its aria-labelledby.
  const id = match?.getAttribute('for');
  const labelId = match?.id;
  const element = id
    ? document.getElementById(id)
    : labelId
      ? Array.from(document.querySelectorAll('[aria-labelledby]')).find((candidate) => candidate.getAttribute('aria-labelledby')!.split(' ').includes(labelId))
      : null;
  if (!element) throw new Error(`No control labelled "${label}"; labels: ${labels.map((element) => element.textContent?.trim()).join(', ')}`);
  return element as T;
}

/** An element's accessible name, roughly: its aria-label, else its text without aria-hidden parts (icons). */
export function accessibleName(element: Element): string {
  const label = element.getAttribute('aria-label');
  if (label !== null) return label;
  const copy = element.cloneNode(true) as Element;
  copy.querySelectorAll('[aria-hidden=true]').forEach((hidden) => hidden.remove());
  return copy.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** The button whose accessible name is `name`. */
export function button(name: string, root: ParentNode = document): HTMLButtonElement {
  const buttons = Array.from(root.querySelectorAll<HTMLButtonElement>('button'));
  const match = buttons.find((element) => accessibleName(element) === name);
  if (!match) throw new Error(`No button "${name}"; buttons: ${buttons.map(accessibleName).join(', ')}`);
  return match;
}

export function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

export function text(root: ParentNode = document): string {
  return (root as Element).textContent?.replace(/\s+/g, ' ') ?? '';
}
