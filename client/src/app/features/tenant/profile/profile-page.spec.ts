import { TestBed } from '@angular/core/testing';
import { Theme } from '../../../core/theme';
import { button, settle, textOf } from '../testing/dom';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { ProfilePage } from './profile-page';

describe(ProfilePage.name, () => {
  beforeEach(() => localStorage.clear());

  it('shows who is signed in and switches the theme', async () => {
    TestBed.configureTestingModule({ providers: tenantProviders(new FakeLiveEvents(), 'viewer') });
    const fixture = TestBed.createComponent(ProfilePage);
    const element: HTMLElement = fixture.nativeElement;
    await settle();
    expect(textOf(element)).toContain('owner@acme.test');
    expect(textOf(element.querySelector('.role'))).toBe('viewer');
    expect(textOf(element)).toContain('Acme');
    expect(textOf(element)).toContain('acme');

    button(element, 'Dark').click();
    await settle();
    expect(TestBed.inject(Theme).choice()).toBe('dark');
    expect(document.documentElement.classList.contains('theme-dark')).toBe(true);
    button(element, 'System').click();
    await settle();
    expect(document.documentElement.classList.contains('theme-dark')).toBe(false);
  });
});
