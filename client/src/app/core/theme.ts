import { effect, Injectable, signal } from '@angular/core';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'openhvx.theme';

/** Light, dark, or whatever the system says (the default); remembered per browser. */
@Injectable({ providedIn: 'root' })
export class Theme {
  readonly choice = signal<ThemeChoice>((localStorage.getItem(STORAGE_KEY) as ThemeChoice | null) ?? 'system');

  constructor() {
    effect(() => {
      const choice = this.choice();
      const root = document.documentElement;
      root.classList.toggle('theme-light', choice === 'light');
      root.classList.toggle('theme-dark', choice === 'dark');
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    });
  }

  /** system → light → dark → system. */
  cycle(): void {
    this.choice.update((choice) => (choice === 'system' ? 'light' : choice === 'light' ? 'dark' : 'system'));
  }
}
