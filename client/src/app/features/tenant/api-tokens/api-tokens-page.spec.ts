import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { ApiToken } from '@contracts/auth';
import { button, field, settle, textOf, type } from '../testing/dom';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { ApiTokensPage } from './api-tokens-page';

const CI: ApiToken = { id: 'tok-1', name: 'CI', prefix: 'ohvx_ab12', expiresAt: null, lastUsedAt: null, createdAt: '2025-01-01T00:00:00.000Z' };
const SECRET = 'ohvx_cd34_the-secret-shown-once';

describe(ApiTokensPage.name, () => {
  let fixture: ComponentFixture<ApiTokensPage>;
  let backend: HttpTestingController;
  let element: HTMLElement;
  const dialog = () => document.querySelector('mat-dialog-container');

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: tenantProviders(new FakeLiveEvents(), 'viewer') });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ApiTokensPage);
    element = fixture.nativeElement;
    await settle();
    backend.expectOne('/api/v1/api-tokens').flush([CI]);
    await settle();
  });

  afterEach(() => backend.verify());

  it('lists the tokens by name and prefix, never a secret', () => {
    expect(textOf(element.querySelector('table'))).toContain('CI');
    expect(textOf(element.querySelector('table'))).toContain('ohvx_ab12…');
  });

  it('creates a token and shows its secret once, with a warning and a copy button', async () => {
    // Viewers may have tokens too: theirs are read-only like them.
    button(element, 'New token').click();
    await settle();
    expect(button(dialog()!, 'Create').disabled).toBe(true);
    type(field(dialog()!, 'Name'), '  deploy bot ');
    type(field(dialog()!, 'Expires on (optional)'), '2030-06-30');
    await settle();
    button(dialog()!, 'Create').click();
    await settle();

    const create = backend.expectOne({ method: 'POST', url: '/api/v1/api-tokens' });
    expect(create.request.body).toEqual({ name: 'deploy bot', expiresAt: new Date('2030-06-30T23:59:59').toISOString() });
    create.flush({ id: 'tok-2', name: 'deploy bot', prefix: 'ohvx_cd34', expiresAt: '2030-06-30T21:59:59.000Z', lastUsedAt: null, createdAt: '2025-02-01T00:00:00.000Z', token: SECRET });
    await settle();

    const shown = field(dialog()!, 'Token');
    expect(shown.value).toBe(SECRET);
    expect(shown.readOnly).toBe(true);
    expect(textOf(dialog()!.querySelector('[role=alert]'))).toContain('Copy this token now: it will not be shown again.');
    expect(button(dialog()!, 'Copy')).toBeTruthy();

    button(dialog()!, 'Done').click();
    await settle();
    expect(dialog()).toBeNull();
    const reload = backend.expectOne('/api/v1/api-tokens');
    reload.flush([CI, { id: 'tok-2', name: 'deploy bot', prefix: 'ohvx_cd34', expiresAt: null, lastUsedAt: null, createdAt: '2025-02-01T00:00:00.000Z' }]);
    await settle();
    expect(textOf(element)).toContain('deploy bot');
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('shows why a token was refused', async () => {
    button(element, 'New token').click();
    await settle();
    type(field(dialog()!, 'Name'), 'CI');
    await settle();
    button(dialog()!, 'Create').click();
    await settle();
    backend
      .expectOne('/api/v1/api-tokens')
      .flush({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'expiresAt must be in the future', correlationId: 'c' }, { status: 400, statusText: 'Bad Request' });
    await settle();
    expect(textOf(dialog()!.querySelector('[role=alert]'))).toBe('expiresAt must be in the future');
    expect(dialog()!.querySelector('input[readonly]')).toBeNull();
  });

  it('revokes a token after confirmation', async () => {
    button(element, 'Revoke CI').click();
    await settle();
    expect(textOf(dialog())).toContain('Revoke CI?');
    button(dialog()!, 'Revoke').click();
    await settle();
    backend.expectOne({ method: 'DELETE', url: '/api/v1/api-tokens/tok-1' }).flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    backend.expectOne('/api/v1/api-tokens').flush([]);
    await settle();
    expect(textOf(element)).toContain('No API tokens yet.');
  });
});
