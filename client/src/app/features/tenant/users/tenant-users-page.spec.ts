import { HttpTestingController } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { Page, TenantUser } from '@contracts/tenants';
import { button, field, settle, textOf, type } from '../testing/dom';
import { FakeLiveEvents } from '../testing/fake-live-events';
import { tenantProviders } from '../testing/tenant-test-bed';
import { TenantUsersPage } from './tenant-users-page';

const USERS: Page<TenantUser> = {
  items: [{ id: 'u1', email: 'owner@acme.test', role: 'owner', createdAt: '2025-01-01T00:00:00.000Z' }],
  total: 1,
};

describe(TenantUsersPage.name, () => {
  let fixture: ComponentFixture<TenantUsersPage>;
  let backend: HttpTestingController;
  let element: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: tenantProviders(new FakeLiveEvents()) });
    backend = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TenantUsersPage);
    element = fixture.nativeElement;
    await settle();
    backend.expectOne((request) => request.url === '/api/v1/users').flush(USERS);
    await settle();
  });

  afterEach(() => backend.verify());

  it('adds a user with a role and lists them', async () => {
    type(field(element, 'Email'), 'dev@acme.test');
    type(field(element, 'Password'), 'a long enough password');
    await settle();
    button(element, 'Add').click();
    await settle();
    const add = backend.expectOne({ method: 'POST', url: '/api/v1/users' });
    expect(add.request.body).toEqual({ email: 'dev@acme.test', password: 'a long enough password', role: 'member' });
    add.flush({ id: 'u2', email: 'dev@acme.test', role: 'member', createdAt: '2025-02-01T00:00:00.000Z' });
    await settle();
    backend.expectOne((request) => request.url === '/api/v1/users').flush({ items: [...USERS.items, add.request.body], total: 2 });
    await settle();
    expect(textOf(element.querySelector('table'))).toContain('dev@acme.test');
    expect(field(element, 'Email').value).toBe('');
  });

  it('does not send a password shorter than 12 characters', async () => {
    type(field(element, 'Email'), 'dev@acme.test');
    type(field(element, 'Password'), 'short');
    await settle();
    button(element, 'Add').click();
    await settle();
    backend.expectNone('/api/v1/users');
    expect(textOf(element)).toContain('At least 12 characters.');
  });

  it('says why the last owner cannot be removed', async () => {
    button(element, 'Remove owner@acme.test').click();
    await settle();
    button(document.querySelector('mat-dialog-container')!, 'Remove').click();
    await settle();
    backend
      .expectOne({ method: 'DELETE', url: '/api/v1/users/u1' })
      .flush({ statusCode: 409, code: 'LAST_OWNER', message: 'Cannot remove the last owner of a tenant', correlationId: 'c' }, { status: 409, statusText: 'Conflict' });
    await settle();
    expect(Array.from(element.querySelectorAll('[role=alert]')).map(textOf)).toContain('Cannot remove the last owner of a tenant');
  });
});
